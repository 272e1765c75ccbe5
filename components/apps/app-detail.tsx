"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ButtonHTMLAttributes } from "react";
import { Alert, Button } from "@/components/ui";
import { api, ApiError } from "@/lib/client/api";
import type { AppView, DeploymentView, VersionView } from "@/lib/client/types";
import { PublishForm } from "./publish-form";
import { TryIt } from "./try-it";

export function AppDetail({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const app = useQuery({ queryKey: ["app", name], queryFn: () => api<{ app: AppView }>(`/apps/${name}`).then((r) => r.app) });
  const versions = useQuery({ queryKey: ["versions", name], queryFn: () => api<{ versions: VersionView[] }>(`/apps/${name}/versions`).then((r) => r.versions) });
  const deployments = useQuery({
    queryKey: ["deployments", name],
    queryFn: () => api<{ deployments: DeploymentView[] }>(`/apps/${name}/deployments`).then((r) => r.deployments),
  });
  const refresh = () => Promise.all(["app", "versions", "deployments"].map((k) => queryClient.invalidateQueries({ queryKey: [k, name] })));

  if (app.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (app.isError) return <Alert>{app.error.message}</Alert>;

  return (
    <div className="max-w-5xl space-y-8">
      <header className="flex items-start justify-between gap-6">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/dashboard/apps" className="hover:text-slate-700">
              Apps
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">{app.data.name}</h1>
          <a href={app.data.gatewayUrl} target="_blank" rel="noreferrer" className="mt-1 inline-block font-mono text-sm text-indigo-600 hover:text-indigo-500" data-testid="app-gateway-url">
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

      <TryIt app={name} />

      <PublishForm app={name} onPublished={refresh} />

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
        <div role="alertdialog" aria-label="Confirm unsafe deploy" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          <p>{pendingUnsafe.message.replace(/Repeat with --unsafe \(or confirm in the console\) to go ahead\./, "")}</p>
          <div className="mt-3 flex gap-2">
            <WarningButton disabled={deploy.isPending} onClick={() => deploy.mutate({ version: pendingUnsafe.version, unsafe: true })}>
              Deploy {pendingUnsafe.version} anyway
            </WarningButton>
            {/* Focus lands on the safe choice, so Enter right after the dialog opens changes nothing. */}
            <button type="button" autoFocus className="rounded-md px-3 py-2 text-sm" onClick={() => setPendingUnsafe(null)}>
              Cancel
            </button>
          </div>
        </div>
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
                {v.tainted ? (
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-700" title="Its static files or datastore schema differ from the version before it">
                    tainted
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-3 text-right">
                <button
                  type="button"
                  disabled={v.live.includes("") || deploy.isPending}
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
  const canRollBack = new Set(deployments.filter((d) => d.route === "").map((d) => d.version)).size > 1;
  if (deployments.length === 0) return <p className="text-sm text-slate-500">No deployments yet.</p>;
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3">
        <Button type="button" disabled={!canRollBack || rollback.isPending} onClick={() => rollback.mutate(false)}>
          Roll back
        </Button>
        <span className="text-xs text-slate-500">Puts back the version the default route served before the current one.</span>
      </div>
      {unsafeMessage ? (
        <div role="alertdialog" aria-label="Confirm unsafe rollback" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
          <p>{unsafeMessage.replace(/Repeat with --unsafe \(or confirm in the console\) to go ahead\./, "")}</p>
          <div className="mt-3 flex gap-2">
            <WarningButton disabled={rollback.isPending} onClick={() => rollback.mutate(true)}>
              Roll back anyway
            </WarningButton>
            <button type="button" autoFocus className="rounded-md px-3 py-2 text-sm" onClick={() => setUnsafeMessage(null)}>
              Cancel
            </button>
          </div>
        </div>
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

/**
 * The go-ahead of an unsafe deploy or rollback, in amber. Not Button with an added bg class: both
 * are utilities of one property, so the one later in Tailwind's stylesheet (indigo) would win.
 */
function WarningButton(props: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "className">) {
  return (
    <button
      type="button"
      className="inline-flex items-center justify-center rounded-md bg-amber-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-amber-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 disabled:cursor-not-allowed disabled:opacity-60"
      {...props}
    />
  );
}

function DeleteApp({ name }: { name: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => api(`/apps/${name}`, { method: "DELETE" }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ["app", name] });
      await queryClient.invalidateQueries({ queryKey: ["apps"] });
      router.push("/dashboard/apps");
    },
  });
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className="rounded-md border border-red-200 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50">
        Delete app
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label="Confirm app deletion" className="w-80 rounded-md border border-red-200 bg-red-50 p-4 text-sm">
      <p className="text-red-800">This deletes every version and stops its gateway routes. Type the app name to confirm.</p>
      <label htmlFor="confirm-delete" className="sr-only">
        App name to confirm
      </label>
      <input id="confirm-delete" value={typed} onChange={(e) => setTyped(e.target.value)} className="mt-2 w-full rounded border border-red-200 px-2 py-1 font-mono" />
      {remove.isError ? <p className="mt-2 text-red-700">{remove.error.message}</p> : null}
      <div className="mt-3 flex gap-2">
        <Button type="button" className="bg-red-600 hover:bg-red-500" disabled={typed !== name || remove.isPending} onClick={() => remove.mutate()}>
          Delete {name}
        </Button>
        <button type="button" className="px-2 text-slate-600" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
