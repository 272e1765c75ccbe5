"use client";
// Publish the bytes the editor built (and previewed), show the browser's hashes beside the
// server's, deploy, and compare the preview with the live gateway for the same request.
import { useState } from "react";
import { api, ApiError } from "@/lib/client/api";
import type { VersionView } from "@/lib/client/types";
import { moduleHashes, sha256Hex } from "@/lib/editor/module-hash";
import { isComponentArtifact } from "@/lib/wasm/component/artifact";
import type { PreviewRequestInput } from "@/lib/editor/preview-protocol";
import { MANIFEST_PATH, isStaticPath } from "@/lib/sources/source-files";
import { JS_SOURCE_MAP_FILE, JS_WORKER_FILE, jsPublishInput } from "@/lib/javascript/js-app";
import type { Build } from "./ide";
import { ResponseView, contentTypeOf, type ShownResponse } from "./response-view";
import type { TryResponse } from "@/lib/apps/try-request";

interface Props {
  appName: string;
  /** The app's own URL (`<app>--<tenant>.<domain>`), linked once a version is deployed. */
  liveUrl: string | undefined;
  files: Record<string, string>;
  build: Build | null;
  ready: boolean;
  latestVersion: string | undefined;
  onPublished(): void;
  onDeployed(): void;
  runPreview(input?: PreviewRequestInput): Promise<ShownResponse | null>;
  request: PreviewRequestInput;
}

interface Published {
  version: string;
  uploadedSha256: string;
  browserStoredSha256: string | null;
  serverSha256: string;
}

export function nextPatch(version: string | undefined): string {
  const m = version ? /^(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : "0.0.1";
}

const short = (h: string | null | undefined) => (h ? h.slice(0, 12) : "—");

export function PublishBar({ appName, liveUrl, files, build, ready, latestVersion, onPublished, onDeployed, runPreview, request }: Props) {
  const [version, setVersion] = useState<string | null>(null);
  const shownVersion = version ?? nextPatch(latestVersion);
  const [busy, setBusy] = useState<"publish" | "deploy" | "compare" | null>(null);
  const [published, setPublished] = useState<Published | null>(null);
  const [deployed, setDeployed] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "error" | "unsafe"; text: string } | null>(null);
  const [compare, setCompare] = useState<{ preview: ShownResponse; live: ShownResponse; differences: string[] } | null>(null);

  async function publish() {
    if (!build?.wasm) return;
    setBusy("publish");
    setMessage(null);
    try {
      // A component is stored as the artifact the preview ran (transpiled by the console for it).
      const hashes =
        build.runnable && isComponentArtifact(build.runnable)
          ? { uploaded: await sha256Hex(build.wasm), stored: await sha256Hex(build.runnable) }
          : await moduleHashes(build.wasm, files[MANIFEST_PATH]);
      const staticFiles = Object.entries(files).filter(([p]) => isStaticPath(p)).map(([path, text]) => ({ path, data: new TextEncoder().encode(text) }));
      const script = build.files[JS_WORKER_FILE];
      // A JavaScript app: the engine is the module, the built script _worker.js (as the CLI publishes it).
      const sourceMap = build.files[JS_SOURCE_MAP_FILE];
      const built = sourceMap ? [...staticFiles, { path: JS_SOURCE_MAP_FILE, data: sourceMap }] : staticFiles;
      const input = script ? jsPublishInput({ version: shownVersion, engine: build.wasm, script, manifestText: files[MANIFEST_PATH], files: built }) : { version: shownVersion, module: build.wasm, manifestText: files[MANIFEST_PATH], files: staticFiles };
      const form = new FormData();
      form.set("version", input.version);
      form.set("module", new Blob([input.module.slice()], { type: "application/wasm" }), "main.wasm");
      if (input.manifestText !== undefined) form.set("manifest", new Blob([input.manifestText], { type: "text/yaml" }), MANIFEST_PATH);
      for (const f of input.files) form.append("files", new Blob([f.data.slice()]), f.path);
      const res = await fetch(`/api/v1/apps/${appName}/versions?version=${encodeURIComponent(shownVersion)}`, { method: "POST", body: form });
      const body = (await res.json()) as { version?: VersionView; error?: { message: string } };
      if (!res.ok || !body.version) throw new Error(body.error?.message ?? `Publish failed (HTTP ${res.status})`);
      setPublished({ version: body.version.version, uploadedSha256: hashes.uploaded, browserStoredSha256: hashes.stored, serverSha256: body.version.moduleSha256 });
      setVersion(null);
      setDeployed(null);
      onPublished();
    } catch (e) {
      setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  }

  async function deploy(unsafe = false) {
    if (!published) return;
    setBusy("deploy");
    setMessage(null);
    try {
      await api(`/apps/${appName}/deployments`, { method: "POST", json: { version: published.version, unsafe } });
      setDeployed(published.version);
      onDeployed();
    } catch (e) {
      if (e instanceof ApiError && e.field === "unsafe") setMessage({ kind: "unsafe", text: e.message.replace(/Repeat with --unsafe \(or confirm in the console\) to go ahead\./, "") });
      else setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  }

  async function runCompare() {
    setBusy("compare");
    setMessage(null);
    try {
      const headers = Object.fromEntries(request.headers.filter(([k]) => k));
      const path = `${request.path.startsWith("/") ? request.path : `/${request.path}`}${request.query ? `?${request.query}` : ""}`;
      const [preview, tried] = await Promise.all([
        runPreview(request),
        api<{ response: TryResponse }>(`/apps/${appName}/try`, {
          method: "POST",
          json: { method: request.method, path, headers, body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body },
        }).then((r) => r.response),
      ]);
      if (!preview) throw new Error("The preview could not run: fix the problems first.");
      const live: ShownResponse = { status: tried.status, headers: tried.headers, body: new TextEncoder().encode(tried.body), durationMs: tried.durationMs };
      setCompare({ preview, live, differences: differencesOf(preview, live, tried.truncated) });
    } catch (e) {
      setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  }

  const hashesMatch = published ? published.browserStoredSha256 === published.serverSha256 : false;

  return (
    <div className="contents">
      <div className="flex flex-wrap items-center gap-2 lg:ml-auto">
        <label htmlFor="publish-version" className="text-xs text-slate-600">
          Version
        </label>
        <input id="publish-version" value={shownVersion} onChange={(e) => setVersion(e.target.value)} className="w-20 rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
        <button
          type="button"
          onClick={() => void publish()}
          disabled={!ready || busy !== null}
          title={ready ? "Publish the module built in this tab" : "Fix the problems first"}
          className="rounded bg-indigo-600 px-3 py-1 text-xs font-medium text-white disabled:cursor-not-allowed disabled:opacity-50"
        >
          {busy === "publish" ? "Publishing…" : "Publish"}
        </button>
        <button type="button" onClick={() => void deploy()} disabled={!published || busy !== null || deployed === published?.version} className="rounded border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40">
          {busy === "deploy" ? "Deploying…" : published ? `Deploy ${published.version}` : "Deploy"}
        </button>
        <button type="button" onClick={() => void runCompare()} disabled={!ready || busy !== null} className="rounded border border-slate-300 px-3 py-1 text-xs font-medium disabled:opacity-40" title="Send the preview's request to the preview and to the live gateway">
          {busy === "compare" ? "Comparing…" : "Compare with live"}
        </button>
      </div>
      {published ? (
        <div className="w-full space-y-1 rounded bg-slate-50 px-2 py-1 text-[11px] text-slate-600">
          <dl className="flex flex-wrap items-center gap-x-2" data-testid="published">
            <dt className="font-medium">Published</dt>
            <dd className="font-mono">
              {published.version}
              {deployed === published.version ? <span className="ml-1 rounded bg-emerald-50 px-1 text-emerald-700" data-testid="deployed">live</span> : null}
            </dd>
            <dt className="ml-2" title="SHA-256 of the bytes this tab compiled and uploaded">· uploaded bytes sha256</dt>
            <dd className="font-mono" data-testid="hash-uploaded" title={published.uploadedSha256}>{short(published.uploadedSha256)}</dd>
            <dt className="ml-2" title="The server caps the module's memory at publish (a rewrite of its memory section); this tab applies the same rewrite before hashing">· stored (memory-capped) module sha256: browser</dt>
            <dd className="font-mono" data-testid="hash-browser" title={published.browserStoredSha256 ?? ""}>{short(published.browserStoredSha256)}</dd>
            <dt>server</dt>
            <dd className="font-mono" data-testid="hash-server" title={published.serverSha256}>{short(published.serverSha256)}</dd>
            <dd className={hashesMatch ? "text-emerald-700" : "text-red-700"} data-testid="hash-match">{hashesMatch ? "✓ match" : "✗ differ"}</dd>
          </dl>
          <p data-testid="hash-explained">
            {hashesMatch
              ? "The server stored exactly the module this tab built and previewed: both fingerprints (SHA-256) of the memory-capped bytes are the same, so what you deploy is what you tried."
              : "The server stored a different module than the one this tab built: the version may not behave like the preview. Publish again from this tab, or compare with live after deploying."}
          </p>
          {deployed === published.version && liveUrl ? (
            <p role="status" data-testid="live-at" className="text-[12px] text-slate-700">
              Version {published.version} is live at{" "}
              <a href={liveUrl} target="_blank" rel="noreferrer" className="font-mono text-indigo-700 hover:underline" data-testid="deployed-url">
                {liveUrl}
              </a>{" "}
              <a href={liveUrl} target="_blank" rel="noreferrer" className="ml-1 rounded bg-indigo-600 px-2 py-0.5 font-medium text-white hover:bg-indigo-500">
                Visit
              </a>
            </p>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <div role="alert" className={`w-full rounded border px-2 py-1 text-xs ${message.kind === "unsafe" ? "border-amber-300 bg-amber-50 text-amber-900" : "border-red-200 bg-red-50 text-red-800"}`}>
          {message.text}
          {message.kind === "unsafe" ? (
            <button type="button" className="ml-2 rounded bg-amber-600 px-2 py-0.5 text-white" onClick={() => void deploy(true)}>
              Deploy anyway
            </button>
          ) : null}
        </div>
      ) : null}
      {compare ? (
        <div role="dialog" aria-label="Preview and live compared" className="fixed inset-x-8 top-16 z-50 max-h-[80vh] overflow-auto rounded-lg border border-slate-300 bg-white p-4 text-left shadow-xl">
          <div className="mb-3 flex items-center gap-3">
            <h2 className="text-sm font-semibold">
              {request.method} {request.path}
              {request.query ? `?${request.query}` : ""}: preview vs live
            </h2>
            <span data-testid="compare-verdict" className={`rounded px-2 py-0.5 text-xs ${compare.differences.length ? "bg-amber-100 text-amber-800" : "bg-emerald-50 text-emerald-700"}`}>
              {compare.differences.length ? `${compare.differences.length} difference${compare.differences.length > 1 ? "s" : ""}` : "identical"}
            </span>
            <button type="button" className="ml-auto rounded border border-slate-300 px-2 py-0.5 text-xs" onClick={() => setCompare(null)}>
              Close
            </button>
          </div>
          {compare.differences.length ? (
            <ul className="mb-3 list-disc pl-5 text-xs text-amber-800" data-testid="compare-differences">
              {compare.differences.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
          <div className="grid grid-cols-2 gap-4">
            <section>
              <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Preview (this tab)</h3>
              <ResponseView response={compare.preview} testId="compare-preview" />
            </section>
            <section>
              <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Live (gateway)</h3>
              <ResponseView response={compare.live} testId="compare-live" />
            </section>
          </div>
        </div>
      ) : null}
    </div>
  );
}

const decoder = new TextDecoder();

/** What differs between the preview and the gateway, in words. Gateway-added headers are ignored. */
export function differencesOf(preview: ShownResponse, live: ShownResponse, liveTruncated: boolean): string[] {
  const out: string[] = [];
  if (preview.status !== live.status) out.push(`status: preview ${preview.status}, live ${live.status}`);
  const previewType = contentTypeOf(preview.headers);
  const liveType = contentTypeOf(live.headers);
  if (previewType !== liveType) out.push(`content-type: preview "${previewType}", live "${liveType}"`);
  const a = decoder.decode(preview.body);
  const b = decoder.decode(live.body);
  if (liveTruncated) out.push("the live body was truncated by the console (256 KiB): compared up to that point");
  if (liveTruncated ? !a.startsWith(b) : a !== b) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    out.push(`body differs from character ${i + 1} (preview ${a.length} chars, live ${b.length} chars)`);
  }
  return out;
}
