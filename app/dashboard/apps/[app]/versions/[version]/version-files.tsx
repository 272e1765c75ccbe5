// The version page's files: a table (path, size, content type, sha256) and a preview of the file
// picked with ?file=: text (its first 64 KiB, escaped by React, in a <pre>) or an image loaded
// through the raw-bytes API route, whose headers keep SVG from running script (lib/files/file-preview.ts).
import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import { decodeTextPreview, previewKindOf, TEXT_PREVIEW_BYTES } from "@/lib/files/file-preview";
import { readVersionFile } from "@/lib/files/read-version-file";
import type { FileView } from "@/lib/versions/version-view";

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The URL path a file is served at under the manifest's `static:` prefixes, if any. */
function staticUrlPath(path: string, mounts: { path: string; dir: string }[]): string | null {
  for (const m of mounts) {
    const dir = m.dir.split("/").filter((s) => s && s !== ".").join("/");
    if (dir && !path.startsWith(`${dir}/`)) continue;
    const prefix = m.path.replace(/\/\.\.\.$/, "").replace(/\/+$/, "");
    const rest = dir ? path.slice(dir.length + 1) : path;
    return `${prefix}/${rest.split("/").map(encodeURIComponent).join("/")}`;
  }
  return null;
}

export async function VersionFiles({
  actor,
  app,
  version,
  files,
  selected,
  staticMounts,
  liveUrl,
}: {
  actor: Actor;
  app: string;
  version: string;
  files: FileView[];
  selected?: string;
  staticMounts: { path: string; dir: string }[];
  /** Where this version answers on the gateway, when it is live. */
  liveUrl: string | null;
}) {
  const pageUrl = `/dashboard/apps/${app}/versions/${version}`;
  const file = files.find((f) => f.path === selected);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  return (
    <section className="rounded-xl border border-slate-200 bg-white" aria-labelledby="files-heading">
      <h2 id="files-heading" className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">
        Files{" "}
        {files.length > 0 ? (
          <span className="font-normal text-slate-500">
            · {files.length} {files.length === 1 ? "file" : "files"}, {formatBytes(total)} · mounted read-only at <code className="font-mono">/app</code>
          </span>
        ) : null}
      </h2>
      {files.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-500">No files were published with this version. Add them with the app page&apos;s publish form (Static files, Static folder), or list them under <code className="font-mono">files:</code> in wasmcompute.yaml for <code className="font-mono">wasmcompute publish</code>.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Files">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="px-6 py-2 font-medium">Path</th>
                <th className="px-6 py-2 text-right font-medium">Size</th>
                <th className="px-6 py-2 font-medium">Content type</th>
                <th className="px-6 py-2 font-medium">SHA-256</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {files.map((f) => (
                <tr key={f.path} className={f.path === file?.path ? "bg-indigo-50" : undefined} aria-current={f.path === file?.path ? "true" : undefined}>
                  <td className="px-6 py-2 font-mono">
                    <Link href={`${pageUrl}?file=${encodeURIComponent(f.path)}`} className="text-indigo-700 hover:underline" scroll={false}>
                      {f.path}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-6 py-2 text-right tabular-nums text-slate-600" title={`${f.size.toLocaleString("en-US")} bytes`}>
                    {formatBytes(f.size)}
                  </td>
                  <td className="whitespace-nowrap px-6 py-2 font-mono text-xs text-slate-600">{f.contentType}</td>
                  <td className="px-6 py-2 font-mono text-xs text-slate-500" title={f.sha256}>
                    {f.sha256.slice(0, 16)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {file ? (
        <FilePreview actor={actor} app={app} version={version} file={file} servedAt={staticUrlPath(file.path, staticMounts)} liveUrl={liveUrl} />
      ) : files.length > 0 ? (
        <p className="border-t border-slate-100 px-6 py-3 text-xs text-slate-500">Pick a file to preview it.</p>
      ) : null}
    </section>
  );
}

async function FilePreview({
  actor,
  app,
  version,
  file,
  servedAt,
  liveUrl,
}: {
  actor: Actor;
  app: string;
  version: string;
  file: FileView;
  servedAt: string | null;
  liveUrl: string | null;
}) {
  const rawUrl = `/api/v1/apps/${app}/versions/${version}/files/${encodePath(file.path)}`;
  const kind = previewKindOf(file.contentType);
  let body: React.ReactNode;
  if (kind === "image") {
    // eslint-disable-next-line @next/next/no-img-element -- the bytes come from our API, not a static asset
    body = <img src={rawUrl} alt={file.path} className="max-h-96 max-w-full rounded border border-slate-200 bg-[repeating-conic-gradient(#f1f5f9_0%_25%,#fff_0%_50%)] bg-[length:16px_16px]" />;
  } else if (kind === "text") {
    const { bytes, truncated } = await readVersionFile({ actor, appName: app, version, path: file.path, maxBytes: TEXT_PREVIEW_BYTES });
    const text = decodeTextPreview(bytes);
    body =
      text === null ? (
        <p className="text-sm text-slate-500">This file looks binary; download it to inspect it.</p>
      ) : (
        <>
          <pre className="max-h-[32rem] overflow-auto rounded bg-slate-50 p-4 font-mono text-xs leading-relaxed text-slate-800">{text}</pre>
          {truncated ? <p className="mt-2 text-xs text-slate-500">Showing the first {formatBytes(TEXT_PREVIEW_BYTES)} of {formatBytes(file.size)}.</p> : null}
        </>
      );
  } else {
    body = <p className="text-sm text-slate-500">No preview for {file.contentType}.</p>;
  }
  return (
    <section className="space-y-3 border-t border-slate-100 px-6 py-4" aria-label={`Preview of ${file.path}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-mono text-sm font-semibold text-slate-800">{file.path}</h3>
        <a href={rawUrl} download className="text-xs text-indigo-600 hover:underline">
          Download ({formatBytes(file.size)})
        </a>
      </div>
      {body}
      <p className="break-all font-mono text-xs text-slate-500">sha256 {file.sha256}</p>
      <p className="text-xs text-slate-500">
        In the guest: <code className="font-mono">/app/{file.path}</code>
        {servedAt ? (
          <>
            {" "}
            · served by the gateway without running wasm at{" "}
            {liveUrl ? (
              <a className="font-mono text-indigo-600 hover:underline" href={`${liveUrl}${servedAt}`}>
                {servedAt}
              </a>
            ) : (
              <code className="font-mono">{servedAt}</code>
            )}
            {liveUrl ? null : " once this version is deployed"}
          </>
        ) : null}
      </p>
    </section>
  );
}
