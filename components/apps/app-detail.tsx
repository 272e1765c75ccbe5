"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useRole } from "@/components/layout/role-context";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Alert, Button } from "@/components/ui";
import { api, ApiError } from "@/lib/client/api";
import type { AppView, DeploymentView, VersionView } from "@/lib/client/types";
import { VERSION_KIND_LABEL } from "@/lib/api-shapes/version-shapes";
import { DefaultLimits } from "./default-limits";
import { PublishForm } from "./publish-form";
import { SchedulesPanel } from "./schedules-panel";
import { TryIt } from "./try-it";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

export function AppDetail({ name }: { name: string }) {
  const { can } = useRole();
  const queryClient = useQueryClient();
  const app = useQuery({ queryKey: ["app", name], queryFn: () => api<{ app: AppView }>(`/apps/${name}`).then((r) => r.app) });
  const versions = useQuery({ queryKey: ["versions", name], queryFn: () => api<{ versions: VersionView[] }>(`/apps/${name}/versions`).then((r) => r.versions) });
  const deployments = useQuery({
    queryKey: ["deployments", name],
    queryFn: () => api<{ deployments: DeploymentView[] }>(`/apps/${name}/deployments`).then((r) => r.deployments),
  });
  const refresh = () => Promise.all(["app", "versions", "deployments"].map((k) => queryClient.invalidateQueries({ queryKey: [k, name] })));
  // Start loading the editor's compiler now: the editor opened from here finds it warm (or warming).
  useEffect(() => {
    void import("@/lib/editor/prewarm-compiler").then((m) => m.prewarmCompiler(name)).catch(() => undefined);
  }, [name]);

  if (app.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (app.isError) return <Alert>{app.error.message}</Alert>;

  return (
    <div className="max-w-5xl space-y-8">
      <header className="flex flex-wrap items-start justify-between gap-4 sm:gap-6">
        <div className="min-w-0">
          <Breadcrumbs trail={appCrumbs(name).slice(0, 1)} />
          <h1 className="text-2xl font-semibold">{app.data.name}</h1>
          <a href={app.data.gatewayUrl} target="_blank" rel="noreferrer" className="mt-1 inline-block break-all font-mono text-sm text-indigo-600 hover:text-indigo-500" data-testid="app-gateway-url">
            {app.data.gatewayUrl}
          </a>
          <Link href={`/dashboard/logs?app=${encodeURIComponent(name)}`} className="mt-1 ml-4 inline-block text-sm text-indigo-600 hover:text-indigo-500">
            Logs →
          </Link>
          <Link href={`/dashboard/apps/${encodeURIComponent(name)}/metrics`} className="mt-1 ml-4 inline-block text-sm text-indigo-600 hover:text-indigo-500">
            Metrics →
          </Link>
          <Link href={`/dashboard/apps/${encodeURIComponent(name)}/kv`} className="mt-1 ml-4 inline-block text-sm text-indigo-600 hover:text-indigo-500">
            Datastore →
          </Link>
          <Link href={`/dashboard/apps/${encodeURIComponent(name)}/settings`} className="mt-1 ml-4 inline-block text-sm text-indigo-600 hover:text-indigo-500">
            Environment →
          </Link>
        </div>
        <div className="flex items-start gap-3">
          <Link href={`/dashboard/apps/${name}/editor`} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
            Open editor
          </Link>
          <DeleteApp name={name} />
        </div>
      </header>

      <section aria-labelledby="live-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="live-heading" className="text-sm font-semibold text-slate-700">Live</h2>
        {app.data.routes.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">Nothing deployed yet: publish a version, then deploy it.</p>
        ) : (
          <ul className="mt-3 space-y-2 text-sm">
            {app.data.routes.map((r) => (
              <li key={r.route} className="flex items-center gap-3">
                <span className="rounded bg-emerald-50 px-2 py-0.5 font-mono text-emerald-700" data-testid={`live-${r.route || "default"}`}>
                  {r.version}
                </span>
                <span className="text-slate-500">{r.route ? `route ${r.route}` : "default route"}</span>
                <span className="font-mono text-xs text-slate-500">{r.url}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <SchedulesPanel app={name} />

      <TryIt app={name} live={(deployments.data ?? []).filter((d) => d.active).map((d) => d.id).join(",")} />

      <DefaultLimits />

      {can("deploy") ? <PublishForm app={name} onPublished={refresh} /> : null}

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-3 text-sm font-semibold text-slate-700">Versions</h2>
        {versions.data?.length ? (
          <VersionsTable app={name} versions={versions.data} onChange={refresh} />
        ) : (
          <p className="text-sm text-slate-500">No versions published yet.</p>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-sm font-semibold text-slate-700">Deployment history</h2>
        <DeploymentHistory app={name} deployments={deployments.data ?? []} onChange={refresh} />
      </section>
    </div>
  );
}

function short(hash: string) {
  return hash.slice(0, 12);
}

function VersionsTable({ app, versions, onChange }: { app: string; versions: VersionView[]; onChange: () => Promise<unknown> }) {
  const mayDeploy = useRole().can("deploy");
  const [pendingUnsafe, setPendingUnsafe] = useState<{ version: string; message: string } | null>(null);
  const deploy = useMutation({
    mutationFn: (v: { version: string; unsafe?: boolean }) => api(`/apps/${app}/deployments`, { method: "POST", json: v }),
    onSuccess: () => {
      setPendingUnsafe(null);
      return onChange();
    },
    onError: (e, v) => {
      if (e instanceof ApiError && e.field === "unsafe") setPendingUnsafe({ version: v.version, message: e.message });
    },
  });
  const error = deploy.error instanceof ApiError && deploy.error.field !== "unsafe" ? deploy.error : null;
  return (
    <div className="space-y-3">
      {pendingUnsafe ? (
        <ConfirmDialog
          label="Confirm unsafe deploy"
          title={`Deploy ${pendingUnsafe.version} anyway?`}
          tone="warning"
          message={<p>{pendingUnsafe.message.replace(/Repeat with --unsafe \(or confirm in the console\) to go ahead\./, "")}</p>}
          confirmLabel={`Deploy ${pendingUnsafe.version} anyway`}
          busy={deploy.isPending}
          onConfirm={() => deploy.mutate({ version: pendingUnsafe.version, unsafe: true })}
          onCancel={() => setPendingUnsafe(null)}
        />
      ) : null}
      {error ? <Alert>{error.message}</Alert> : null}
      <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-3">Version</th>
            <th className="px-4 py-3">Published</th>
            <th className="px-4 py-3">Module SHA-256</th>
            <th className="px-4 py-3"></th>
            <th className="px-4 py-3 text-right">Action</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {versions.map((v) => (
            <tr key={v.version} data-testid={`version-${v.version}`}>
              <td className="px-4 py-3 font-mono">
                <Link href={`/dashboard/apps/${app}/versions/${v.version}`} className="text-indigo-600 hover:text-indigo-500">
                  {v.version}
                </Link>
              </td>
              <td className="px-4 py-3 text-slate-500">{new Date(v.createdAt).toLocaleString()}</td>
              <td className="px-4 py-3 font-mono text-xs text-slate-600" title={v.moduleSha256}>
                {short(v.moduleSha256)}
              </td>
              <td className="space-x-1 px-4 py-3">
                {v.live.map((r) => (
                  <span key={r} className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">
                    live{r ? ` · ${r}` : ""}
                  </span>
                ))}
                {v.kind === "component" ? (
                  <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-700" title={VERSION_KIND_LABEL.component}>
                    component
                  </span>
                ) : null}
                {v.tainted ? (
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-700" title="Its static files or datastore schema differ from the version before it">
                    tainted
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-3 text-right">
                <button
                  type="button"
                  disabled={v.live.includes("") || deploy.isPending || !mayDeploy}
                  title={mayDeploy ? undefined : "Deploying needs the developer role or higher"}
                  onClick={() => deploy.mutate({ version: v.version })}
                  className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-40"
                  aria-label={`Deploy ${v.version}`}
                >
                  Deploy
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeploymentHistory({ app, deployments, onChange }: { app: string; deployments: DeploymentView[]; onChange: () => Promise<unknown> }) {
  const mayDeploy = useRole().can("deploy");
  const [unsafeMessage, setUnsafeMessage] = useState<string | null>(null);
  const rollback = useMutation({
    mutationFn: (unsafe: boolean) => api(`/apps/${app}/rollback`, { method: "POST", json: { unsafe } }),
    onSuccess: () => {
      setUnsafeMessage(null);
      return onChange();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.field === "unsafe") setUnsafeMessage(e.message);
    },
  });
  // The version the default route goes back to: the one it served before the live one.
  const defaultHistory = deployments.filter((d) => d.route === "");
  const liveVersion = defaultHistory.find((d) => d.active)?.version ?? defaultHistory[0]?.version;
  const previousVersion = defaultHistory.find((d) => d.version !== liveVersion)?.version;
  const canRollBack = previousVersion !== undefined;
  const [asking, setAsking] = useState(false);
  if (deployments.length === 0) return <p className="text-sm text-slate-500">No deployments yet.</p>;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" disabled={!canRollBack || rollback.isPending || !mayDeploy} onClick={() => setAsking(true)}>
          Roll back
        </Button>
        <span className="text-xs text-slate-500">Puts back the version the default route served before the current one.</span>
      </div>
      {asking ? (
        <ConfirmDialog
          title={`Roll back to ${previousVersion}?`}
          tone="warning"
          message={<p>The default route stops serving {liveVersion} and serves {previousVersion} again, within a second. You can deploy {liveVersion} again later.</p>}
          confirmLabel={`Roll back to ${previousVersion}`}
          onConfirm={() => {
            setAsking(false);
            rollback.mutate(false);
          }}
          onCancel={() => setAsking(false)}
        />
      ) : null}
      {unsafeMessage ? (
        <ConfirmDialog
          label="Confirm unsafe rollback"
          title={`Roll back to ${previousVersion} anyway?`}
          tone="warning"
          message={<p>{unsafeMessage.replace(/Repeat with --unsafe \(or confirm in the console\) to go ahead\./, "")}</p>}
          confirmLabel="Roll back anyway"
          busy={rollback.isPending}
          onConfirm={() => rollback.mutate(true)}
          onCancel={() => setUnsafeMessage(null)}
        />
      ) : null}
      {rollback.error instanceof ApiError && rollback.error.field !== "unsafe" ? <Alert>{rollback.error.message}</Alert> : null}
      <ol className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm">
        {deployments.map((d) => (
          <li key={d.id} className="flex items-center gap-4 px-4 py-2.5">
            <span className="w-28 font-mono">{d.version}</span>
            <span className="w-20 text-slate-500">{d.kind}</span>
            <span className="w-28 text-slate-500">{d.route || "default"}</span>
            <span className="flex-1 text-slate-500">{new Date(d.createdAt).toLocaleString()}</span>
            {d.active ? <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-700">live</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function DeleteApp({ name }: { name: string }) {
  const mayDelete = useRole().can("admin");
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api(`/apps/${name}`, { method: "DELETE" }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ["app", name] });
      await queryClient.invalidateQueries({ queryKey: ["apps"] });
      router.push("/dashboard/apps");
    },
  });
  if (!mayDelete) return null;
  return (
    <>
      <button type="button" onClick={() => setConfirming(true)} className="rounded-md border border-red-200 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50">
        Delete app
      </button>
      {confirming ? (
        <ConfirmDialog
          label="Confirm app deletion"
          title={`Delete ${name}?`}
          message={<p>This deletes every version and stops its gateway routes. It cannot be undone.</p>}
          requireText={name}
          requireTextLabel="App name to confirm"
          confirmLabel={`Delete ${name}`}
          busy={remove.isPending}
          error={remove.isError ? remove.error.message : undefined}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}
