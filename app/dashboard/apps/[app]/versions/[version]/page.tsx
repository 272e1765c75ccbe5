import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { ROLE_SCOPE } from "@/lib/auth/roles";
import { requireSessionUser } from "@/lib/auth/session";
import { getVersion } from "@/lib/versions/find-versions";
import { tenantGatewayUrl } from "@/lib/platform-urls";
import { VERSION_KIND_LABEL } from "@/lib/api-shapes/version-shapes";
import { VersionFiles } from "./version-files";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

type Params = { app: string; version: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { app, version } = await params;
  return { title: `${app} ${version}` };
}

export default async function VersionPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<{ file?: string | string[] }> }) {
  const user = await requireSessionUser();
  const { app, version } = await params;
  const { file } = await searchParams;
  // The member's role as it is now (the layout shows a removed member no tenant data; neither does this).
  if (!user.role) notFound();
  const actor = { tenantId: user.tenantId, tenantName: user.tenantName, userId: user.userId, role: user.role, scope: ROLE_SCOPE[user.role] };
  const v = await getVersion({ actor, appName: app, version }).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  // The default route when it serves this version, else the first explicit route that does.
  const liveRoute = v.live.includes("") ? "" : v.live[0];
  const component = v.component;
  const hashes: [string, string, string][] = [
    ...(component
      ? ([
          ["Component (as uploaded)", component.sourceSha256, `${component.sourceSize.toLocaleString()} bytes`],
          ["Artifact (transpiled, memory-capped)", v.moduleSha256, `${v.moduleSize.toLocaleString()} bytes`],
        ] as [string, string, string][])
      : ([["Module (after memory cap)", v.moduleSha256, `${v.moduleSize.toLocaleString()} bytes`]] as [string, string, string][])),
    ["Manifest (resolved)", v.manifestSha256, ""],
    ["Files (path + hash list)", v.filesSha256, `${v.files.length} files`],
  ];
  return (
    <div className="max-w-5xl space-y-8">
      <header>
        <Breadcrumbs trail={appCrumbs(app)} />
        <h1 className="text-2xl font-semibold">
          {app} <span className="font-mono">{v.version}</span>
        </h1>
        <p className="mt-1 text-sm text-slate-500">
          Published {new Date(v.createdAt).toLocaleString()} · immutable
          {v.tainted ? " · tainted (its static files or datastore schema differ from the version before it)" : ""}
          {v.live.length ? ` · live on ${v.live.map((r) => r || "the default route").join(", ")}` : ""}
        </p>
      </header>
      <section aria-labelledby="kind-heading" className="rounded-xl border border-slate-200 bg-white">
        <h2 id="kind-heading" className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">
          Kind: <span data-testid="version-kind">{VERSION_KIND_LABEL[v.kind]}</span>
        </h2>
        {component ? (
          <dl className="divide-y divide-slate-100 text-sm">
            {(
              [
                ["Imports", component.imports],
                ["Exports", component.exports],
              ] as const
            ).map(([label, names]) => (
              <div key={label} className="grid grid-cols-[14rem_1fr] gap-4 px-6 py-3">
                <dt className="text-slate-500">{label}</dt>
                <dd data-testid={`component-${label.toLowerCase()}`}>
                  {names.length ? (
                    <ul className="space-y-0.5 font-mono text-xs">
                      {names.map((name) => (
                        <li key={name}>{name}</li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-xs text-slate-500">none</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="px-6 py-3 text-sm text-slate-500">A WASI module run per request as WAGI (CGI over WASI) with our host imports.</p>
        )}
      </section>
      <section className="rounded-xl border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">SHA-256</h2>
        <dl className="divide-y divide-slate-100 text-sm">
          {hashes.map(([label, hash, note]) => (
            <div key={label} className="grid grid-cols-[14rem_1fr] gap-4 px-6 py-3">
              <dt className="text-slate-500">
                {label}
                {note ? <span className="block text-xs">{note}</span> : null}
              </dt>
              <dd className="break-all font-mono text-xs" data-testid={`hash-${label.split(" ")[0]!.toLowerCase()}`}>
                {hash}
              </dd>
            </div>
          ))}
        </dl>
        <p className="px-6 pb-4 text-xs text-slate-500">
          Check what runs is what you built: <code className="font-mono">sha256sum</code> of the {component ? "component (as uploaded)" : "module"} downloaded from{" "}
          <a className="text-indigo-600" href={`/api/v1/apps/${app}/versions/${v.version}/module`}>
            /api/v1/apps/{app}/versions/{v.version}/module
          </a>
          .
        </p>
      </section>
      <section className="rounded-xl border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">Manifest</h2>
        <pre className="overflow-auto px-6 py-4 font-mono text-xs">{JSON.stringify(v.manifest, null, 2)}</pre>
      </section>
      <VersionFiles
        actor={actor}
        app={app}
        version={v.version}
        files={v.files}
        selected={typeof file === "string" ? file : undefined}
        staticMounts={v.manifest.static ?? []}
        liveUrl={liveRoute === undefined ? null : tenantGatewayUrl(user.tenantName, app, process.env) + (liveRoute ? `/${liveRoute}` : "")}
      />
    </div>
  );
}
