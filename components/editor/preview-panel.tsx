"use client";
// The live preview: `usePreview` holds the request, the key-value copy and the discovered routes and
// runs the build in the preview worker; `PreviewPanel` is its request panel and response. The IDE
// (ide.tsx) owns the build and hands `run`/`request` to the publish bar's compare.
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useConfirm } from "@/components/confirm-dialog";
import { api } from "@/lib/client/api";
import { isComponentArtifact } from "@/lib/wasm/component/artifact";
import { ResponseView, type ShownResponse } from "./response-view";
import { PreviewKvData, type KvState } from "./preview-kv-data";
import { SavedRequests, type EditedRequest } from "./preview-saved-requests";
import { PreviewSchedules } from "./preview-schedules";
import type { AppView } from "@/lib/client/types";
import type { ManifestSettings } from "@/lib/editor/manifest-settings";
import { answerStaticRequest } from "@/lib/editor/preview-static";
import { buildPreviewRequest, previewOutboundUrl, previewUrl, type PreviewRequestInput, type PreviewRoute } from "@/lib/editor/preview-protocol";
import { PreviewFrame } from "./preview-frame";
import { copyKvFromServer, diffKv, pushKvChanges, type KvCopy, type KvEntries } from "@/lib/editor/preview-kv";
import { examplePath, previewRouteTable, type ShownRoute } from "@/lib/editor/preview-routes";
import type { PreviewRunner } from "@/lib/editor/preview-runner";
import { MANIFEST_PATH, isStaticPath } from "@/lib/sources/source-files";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/** A gateway gives `_routes` this long when it first loads a version (lib/runtime/discover-routes.ts). */
const ROUTES_DEADLINE_MS = 2000;

export interface PreviewBuild {
  runnable: Uint8Array | null;
  key: string;
  moduleKey: string;
  /** Built files mounted beside static/ (a JavaScript app's _worker.js and _worker.js.map). */
  files: Record<string, Uint8Array>;
  settings: ManifestSettings;
}

function parseHeaderLines(text: string): [string, string][] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(":");
      return (i < 0 ? [l, ""] : [l.slice(0, i).trim(), l.slice(i + 1).trim()]) as [string, string];
    });
}

const failed = (kind: string, message: string, status = 500): ShownResponse => ({ status, headers: [], body: new Uint8Array(0), durationMs: 0, error: { kind, message } });

export function usePreview({
  appName,
  app,
  build,
  files,
  ready,
  runner,
}: {
  appName: string;
  app: AppView | undefined;
  build: PreviewBuild | null;
  files: Record<string, string> | null;
  ready: boolean;
  runner: RefObject<PreviewRunner | null>;
}) {
  const [previewOnChange, setPreviewOnChange] = useState(true);
  const [request, setRequest] = useState<EditedRequest>({ method: "GET", path: "/", query: "", headers: [], body: "", headerText: "" });
  const [response, setResponse] = useState<ShownResponse | null>(null);
  const [running, setRunning] = useState(false);

  // The app's Preview environment (plain variables only; secrets never leave the server). A run
  // waits for the first fetch, then uses the cached answer; the Environment page refreshes it.
  const queryClient = useQueryClient();
  const previewEnv = useCallback(
    () =>
      queryClient
        .ensureQueryData({
          queryKey: ["env-preview-plain", appName],
          queryFn: () => api<{ plain: Record<string, string> }>(`/apps/${encodeURIComponent(appName)}/env?environment=preview`).then((r) => r.plain),
          staleTime: 10_000,
          revalidateIfStale: true,
        })
        .catch(() => ({}) as Record<string, string>),
    [queryClient, appName],
  );

  // ---------------------------------------------------------------- key-value copy of production
  const [kvAttached, setKvAttached] = useState(true);
  const [copy, setCopy] = useState<KvCopy | null>(null);
  const [kvStatus, setKvStatus] = useState<KvState["status"]>("loading");
  const [kvError, setKvError] = useState<string | null>(null);
  const [kvPushed, setKvPushed] = useState<string | null>(null);
  const kvCurrent = useRef<KvEntries>({});
  const [kvVersion, setKvVersion] = useState(0);
  const kvLoading = useRef<Promise<void> | null>(null);

  // Bumped by every copy from the server: a run that started on an older copy does not write back.
  const kvGeneration = useRef(0);

  const loadKv = useCallback(() => {
    const generation = ++kvGeneration.current;
    setKvStatus("loading");
    setKvError(null);
    setKvPushed(null);
    const loading = copyKvFromServer({ appName }).then(
      (taken) => {
        if (generation !== kvGeneration.current) return;
        setCopy(taken);
        kvCurrent.current = { ...taken.base };
        setKvStatus("ready");
      },
      (e: unknown) => {
        if (generation !== kvGeneration.current) return;
        // The preview still runs, on an empty copy; pushing then only writes what the preview wrote.
        setCopy({ base: {}, serverKeys: 0, truncated: null, copiedAt: new Date().toISOString() });
        kvCurrent.current = {};
        setKvStatus("error");
        setKvError(`${e instanceof Error ? e.message : String(e)}. The preview uses an empty store.`);
      },
    );
    kvLoading.current = loading.finally(() => setKvVersion((v) => v + 1));
  }, [appName]);

  useEffect(() => {
    loadKv();
  }, [loadKv]);

  const changes = useMemo(
    () => (copy ? diffKv(copy.base, kvCurrent.current) : { set: [], del: [] }),
    // kvVersion changes whenever kvCurrent (a ref) does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [copy, kvVersion],
  );

  const { confirm, dialog: confirmDialog } = useConfirm();
  const kv: KvState = {
    status: kvStatus,
    copy,
    error: kvError,
    current: kvCurrent.current,
    changes,
    pushed: kvPushed,
    async reload() {
      const n = changes.set.length + changes.del.length;
      if (n > 0) {
        const ok = await confirm({
          title: `Discard ${n} unpushed ${n === 1 ? "change" : "changes"}?`,
          message: <p>The preview&apos;s key-value changes are dropped and the store is copied from the server again.</p>,
          confirmLabel: "Discard and reload",
          tone: "warning",
        });
        if (!ok) return;
      }
      loadKv();
    },
    async push() {
      const current = { ...kvCurrent.current };
      const done = await pushKvChanges({ appName, current, changes: diffKv(copy?.base ?? {}, current) });
      setCopy((c) => (c ? { ...c, base: current } : c));
      setKvPushed(`Pushed to production: ${done.set} set, ${done.deleted} deleted.`);
    },
  };

  // ---------------------------------------------------------------- routes (manifest or `_routes`)
  const [discovered, setDiscovered] = useState<{ key: string; routes: PreviewRoute[]; error?: string } | null>(null);
  const discovering = useRef(new Map<string, Promise<{ key: string; routes: PreviewRoute[]; error?: string }>>());

  const discoverRoutes = useCallback(
    (b: PreviewBuild) => {
      let pending = discovering.current.get(b.key);
      if (!pending) {
        pending = runner.current!.routes({ wasm: b.runnable!, moduleKey: b.moduleKey }, ROUTES_DEADLINE_MS).then((r) => ({ key: b.key, routes: r.routes, ...(r.error ? { error: r.error } : {}) }));
        discovering.current.clear();
        discovering.current.set(b.key, pending);
        void pending.then((d) => setDiscovered((prev) => (discovering.current.has(d.key) ? d : prev)));
      }
      return pending;
    },
    [runner],
  );

  useEffect(() => {
    if (ready && build?.runnable) void discoverRoutes(build);
  }, [build, ready, discoverRoutes]);

  const routeTable: ShownRoute[] = useMemo(
    () => previewRouteTable({ manifestText: files?.[MANIFEST_PATH], manifestRoutes: build?.settings.routes ?? [], discovered: discovered?.routes ?? [] }),
    [files, build, discovered],
  );

  // ---------------------------------------------------------------- run
  const runTurn = useRef<Promise<unknown>>(Promise.resolve());
  const runBuilt = useCallback(
    async (b: PreviewBuild, built: NonNullable<ReturnType<typeof buildPreviewRequest>>, sources: Record<string, string>) => {
      const generation = kvGeneration.current;
      const env = { ...b.settings.env, ...(await previewEnv()) };
      const staticFiles = { ...Object.fromEntries(Object.entries(sources).filter(([p]) => isStaticPath(p)).map(([p, t]) => [p, new TextEncoder().encode(t)])), ...b.files };
      const result = await runner.current!.run(
        {
          wasm: b.runnable!,
          moduleKey: b.moduleKey,
          request: built.request,
          entrypoint: built.entrypoint,
          env,
          files: staticFiles,
          maxResponseBytes: b.settings.limits.maxResponseBytes,
          kv: kvAttached ? kvCurrent.current : null,
          outbound: { url: previewOutboundUrl(appName), allowedHosts: b.settings.allowedHosts },
        },
        b.settings.limits.timeoutMs,
      );
      if (kvAttached && result.kv && generation === kvGeneration.current) {
        kvCurrent.current = result.kv;
        setKvVersion((v) => v + 1);
      }
      return result;
    },
    [kvAttached, runner, previewEnv, appName],
  );

  /** The preview's answer to `input` (static files or the module), without showing it. */
  const execute = useCallback(
    async (input: PreviewRequestInput): Promise<ShownResponse | null> => {
      if (!build?.runnable || !app || !files) return null;
      const found = await discoverRoutes(build);
      if (found.error) return failed("routes", `${found.error} The gateway refuses to deploy a module whose _routes fails.`);
      const table = previewRouteTable({ manifestText: files[MANIFEST_PATH], manifestRoutes: build.settings.routes, discovered: found.routes });
      // A path under a `static:` prefix is answered from the draft's files, as the gateway does.
      const fromFiles = await answerStaticRequest(files[MANIFEST_PATH], files, { ...input, base: new URL(app.gatewayUrl).pathname.replace(/\/$/, "") }, table.map((r) => r.path));
      if (fromFiles) return fromFiles;
      const built = buildPreviewRequest(app.gatewayUrl, table, input);
      if (!built) return failed("route-not-found", `The app has no route for ${input.path}. Its routes: ${table.map((r) => r.path).join(", ")}.`, 404);
      // Runs take turns: each starts from the copy as the previous run left it.
      const turn = runTurn.current.then(async () => {
        if (kvAttached && kvLoading.current) await kvLoading.current;
        return runBuilt(build, built, files);
      });
      runTurn.current = turn.catch(() => undefined);
      return turn;
    },
    [app, build, discoverRoutes, files, kvAttached, runBuilt],
  );

  // The request the shown response answers (an HTML page resolves its relative URLs against it).
  const [shownInput, setShownInput] = useState<PreviewRequestInput | null>(null);
  const run = useCallback(
    async (input: PreviewRequestInput = request): Promise<ShownResponse | null> => {
      setRunning(true);
      try {
        const result = await execute(input);
        if (result) {
          setResponse(result);
          setShownInput(input);
        }
        return result;
      } finally {
        setRunning(false);
      }
    },
    [execute, request],
  );

  // Preview on change: every successful build re-runs the current request.
  const lastPreviewedBuild = useRef<string | null>(null);
  useEffect(() => {
    if (!previewOnChange || !ready || !build || lastPreviewedBuild.current === build.key) return;
    lastPreviewedBuild.current = build.key;
    void run();
  }, [build, previewOnChange, ready, run]);

  // A component (WASI 0.2) has one handler for every route: a route's entrypoint means nothing to it.
  const handler = build?.runnable && isComponentArtifact(build.runnable) ? "wasi:http/incoming-handler" : null;
  return { execute, shownInput, gatewayUrl: app?.gatewayUrl ?? null, confirmDialog, request, setRequest, schedules: build?.settings.schedules ?? [], previewOnChange, setPreviewOnChange, response, running, run, kv, kvAttached, setKvAttached, routeTable, routesError: discovered?.error ?? null, handler };
}

export type Preview = ReturnType<typeof usePreview>;

/** Where the IDE is on the way to a preview: shown while there is no response yet. */
export type PreviewStage = "loading-compiler" | "compiling" | "errors" | "ready";

const STEPS = [
  { id: "loading-compiler", label: "Loading the compiler (first use: can take a few seconds)" },
  { id: "compiling", label: "Compiling" },
  { id: "starting", label: "Starting the preview" },
] as const;

function PreviewProgress({ stage, running }: { stage: PreviewStage; running: boolean }) {
  if (stage === "errors") return <p className="text-xs text-slate-600" data-testid="preview-waiting">Fix the problems to run the preview.</p>;
  const current = stage === "loading-compiler" ? 0 : stage === "compiling" ? 1 : 2;
  if (stage === "ready" && !running) return <p className="text-xs text-slate-600" data-testid="preview-waiting">The response appears here: press Run.</p>;
  return (
    <div role="status" aria-live="polite" data-testid="preview-waiting" data-stage={STEPS[current]!.id}>
      <ol className="space-y-1 text-xs" aria-label="Preview progress">
        {STEPS.map((step, i) => (
          <li key={step.id} className={`flex items-center gap-2 ${i < current ? "text-emerald-800" : i === current ? "font-medium text-slate-900" : "text-slate-600"}`} aria-current={i === current ? "step" : undefined}>
            <span aria-hidden className={`inline-block h-3 w-3 shrink-0 rounded-full ${i < current ? "bg-emerald-600" : i === current ? "animate-pulse bg-indigo-600" : "border border-slate-400"}`} />
            {step.label}
            {i < current ? <span className="sr-only"> (done)</span> : i === current ? "…" : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function PreviewPanel({
  appName,
  preview,
  ready,
  errors,
  stage,
  id,
  className = "",
}: {
  appName: string;
  preview: Preview;
  ready: boolean;
  errors: boolean;
  stage: PreviewStage;
  id?: string;
  className?: string;
}) {
  const { request, setRequest } = preview;
  const fromModule = preview.routeTable.some((r) => r.source === "_routes");
  return (
    <aside id={id} aria-label="Preview" className={`flex min-h-0 flex-col border-slate-200 lg:border-l ${className}`}>
      <div className="max-h-[55%] space-y-2 overflow-auto border-b border-slate-100 p-3">
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            void preview.run();
          }}
        >
          <div className="flex items-center justify-between">
            <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Preview in this tab</h2>
            <label className="flex items-center gap-1 text-xs text-slate-600">
              <input type="checkbox" checked={preview.previewOnChange} onChange={(e) => preview.setPreviewOnChange(e.target.checked)} /> on change
            </label>
          </div>
          <div className="flex gap-1">
            <label htmlFor="preview-method" className="sr-only">Method</label>
            <select id="preview-method" value={request.method} onChange={(e) => setRequest({ ...request, method: e.target.value })} className="rounded border border-slate-300 bg-white px-1 py-1 text-xs">
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
            <label htmlFor="preview-path" className="sr-only">Path</label>
            <input id="preview-path" value={request.path} onChange={(e) => setRequest({ ...request, path: e.target.value })} className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
            <button type="submit" disabled={!ready || preview.running} className="rounded bg-indigo-600 px-3 py-1 text-xs font-medium text-white disabled:opacity-50">
              {preview.running ? "Running…" : "Run"}
            </button>
          </div>
          <details className="text-xs">
            <summary className="cursor-pointer text-slate-600">Query, headers, body</summary>
            <div className="mt-2 space-y-2">
              <label className="block">
                <span className="text-slate-600">Query</span>
                <input aria-label="Query" value={request.query} onChange={(e) => setRequest({ ...request, query: e.target.value })} placeholder="id=3&sort=asc" className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 font-mono" />
              </label>
              <label className="block">
                <span className="text-slate-600">Headers (one “Name: value” per line)</span>
                <textarea aria-label="Headers" rows={2} value={request.headerText} onChange={(e) => setRequest({ ...request, headerText: e.target.value, headers: parseHeaderLines(e.target.value) })} className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 font-mono" />
              </label>
              <label className="block">
                <span className="text-slate-600">Body</span>
                <textarea aria-label="Body" rows={3} value={request.body} onChange={(e) => setRequest({ ...request, body: e.target.value })} className="mt-0.5 w-full rounded border border-slate-300 px-2 py-1 font-mono" />
              </label>
            </div>
          </details>
        </form>
        <SavedRequests appName={appName} request={request} onLoad={setRequest} />
        <PreviewSchedules
          schedules={preview.schedules}
          disabled={!ready || preview.running}
          onTrigger={(scheduled) => {
            setRequest(scheduled);
            void preview.run(scheduled);
          }}
        />
        <details className="text-xs" open={fromModule || undefined} data-testid="preview-routes">
          <summary className="cursor-pointer text-slate-600">
            Routes ({preview.routeTable.length}){fromModule ? " · from the module's _routes" : ""}
          </summary>
          {preview.routesError ? (
            <p role="alert" className="mt-1 text-red-700">{preview.routesError}</p>
          ) : null}
          <ul className="mt-1 space-y-0.5" aria-label="Routes">
            {preview.routeTable.map((r) => (
              <li key={`${r.path} ${r.entrypoint}`}>
                <button type="button" className="flex w-full gap-2 rounded px-1 text-left font-mono hover:bg-slate-50" title="Fill the path" onClick={() => setRequest({ ...request, path: examplePath(r) })}>
                  <span>{r.path}</span>
                  <span className="text-slate-500">→ {preview.handler ?? r.entrypoint}</span>
                  <span className="ml-auto font-sans text-[10px] text-slate-500">{r.source === "_routes" ? "_routes" : r.source === "manifest" ? "wasmcompute.yaml" : "default"}</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
        <PreviewKvData kv={preview.kv} attached={preview.kvAttached} onAttachedChange={preview.setKvAttached} />
        {preview.confirmDialog}
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-3">
        {preview.response ? (
          <>
            {errors ? <p className="mb-2 text-xs text-amber-700">The code has errors: this is the last successful build&apos;s response.</p> : null}
            <ResponseView
              response={preview.response}
              testId="preview"
              renderHtml={
                preview.gatewayUrl && preview.shownInput
                  ? (html) => <PreviewFrame html={html} pageUrl={previewUrl(preview.gatewayUrl!, preview.shownInput!)} appBase={preview.gatewayUrl!} execute={preview.execute} testId="preview-html" />
                  : undefined
              }
            />
          </>
        ) : (
          <PreviewProgress stage={stage} running={preview.running || (ready && preview.previewOnChange)} />
        )}
      </div>
    </aside>
  );
}
