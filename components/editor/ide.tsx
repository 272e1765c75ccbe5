"use client";
// The in-browser IDE: files → compile in a worker → preview in a worker with lib/wasm → publish the
// very bytes that were previewed → deploy → compare preview and gateway. Loaded only in the browser
// (editor-page.tsx), because Monaco and the workers need `window`.
import Editor, { type EditorProps, type OnMount } from "@monaco-editor/react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useConfirm } from "@/components/confirm-dialog";
import { configureTypeScript, monaco } from "./monaco-setup";
import { FileTree } from "./file-tree";
import { ProblemsPanel } from "./problems-panel";
import { PreviewPanel, usePreview, type PreviewStage } from "./preview-panel";
import { PublishBar } from "./publish-bar";
import { BuildGuideNote } from "./build-guide";
import { buildGuideFor, catalogStarterFor, fetchStarterFiles } from "@/lib/editor/starter-files";
import { api, ApiError } from "@/lib/client/api";
import type { AppView, VersionView } from "@/lib/client/types";
import { base64ToBytes, bytesToBase64 } from "@/lib/editor/base64";
import { CompileClient, compiledSources, sharedCompileClient } from "@/lib/editor/compile-client";
import { hasErrors, type Diagnostic } from "@/lib/editor/diagnostics";
import { clearLocalDraft, readLocalDraft, sameFiles, writeLocalDraft } from "@/lib/editor/draft-storage";
import { cappedModule } from "@/lib/editor/module-hash";
import { componentArtifact } from "@/lib/editor/preview-component";
import { isComponentBinary } from "@/lib/wasm/component/detect";
import { loadJsEngine } from "@/lib/editor/js-engine-client";
import { JS_SOURCE_MAP_FILE, JS_WORKER_FILE } from "@/lib/javascript/js-app";
import { PreviewRunner } from "@/lib/editor/preview-runner";
import { EDITOR_TEMPLATES, editorTemplateForApp, findEditorTemplate, templateFilesFor } from "@/lib/templates/templates";
import { manifestSettings, type ManifestSettings } from "@/lib/editor/manifest-settings";
import { MANIFEST_PATH, isBinaryPath, projectKind, type SourceView } from "@/lib/sources/source-files";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

type SaveState = "loading" | "saved" | "unsaved" | "saving" | "conflict" | "error";

export interface Build {
  /** Bytes as compiled (what publish uploads). */
  wasm: Uint8Array | null;
  /**
   * The memory-capped module the server will store and the preview runs (same limits as
   * production); for a WASI 0.2 component, the packed artifact publish stores (lib/wasm/component).
   */
  runnable: Uint8Array | null;
  key: string;
  /** Identifies `runnable` for the preview worker's compiled-module cache (a JavaScript app's engine is the same across builds). */
  moduleKey: string;
  /** Files the build made, mounted at /app beside static/ and published with the version (a JavaScript app's _worker.js and its source map). */
  files: Record<string, Uint8Array>;
  diagnostics: Diagnostic[];
  ms: number;
  settings: ManifestSettings;
}

// Typing pauses this long before a build. Builds never queue up behind each other (the compile
// client runs one at a time and keeps only the newest waiting), so the pause only saves building
// sources that are typed over at once; every millisecond of it is on the way to the preview.
const COMPILE_DEBOUNCE_MS = 100;
const SAVE_DEBOUNCE_MS = 1200;
// One object for every render: @monaco-editor/react hands Monaco a new options object on each keystroke's render otherwise.
const EDITOR_OPTIONS: EditorProps["options"] = { minimap: { enabled: false }, renderFinalNewline: "on", fontSize: 13, scrollBeyondLastLine: false, automaticLayout: true, tabSize: 2, renderValidationDecorations: "on" };

function languageOf(path: string): string {
  if (/\.(ts|tsx|mts)$/.test(path)) return "typescript";
  if (/\.(js|mjs|jsx)$/.test(path)) return "javascript";
  if (path.endsWith(".wat") || path.endsWith(".wast")) return "wat";
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".html")) return "html";
  if (path.endsWith(".css")) return "css";
  if (path.endsWith(".md")) return "markdown";
  if (path.endsWith(".c") || path.endsWith(".h")) return "c";
  if (path.endsWith(".rs")) return "rust";
  return "plaintext";
}

export default function Ide({ appName }: { appName: string }) {
  const queryClient = useQueryClient();
  const app = useQuery({ queryKey: ["app", appName], queryFn: () => api<{ app: AppView }>(`/apps/${appName}`).then((r) => r.app) });
  const versions = useQuery({ queryKey: ["versions", appName], queryFn: () => api<{ versions: VersionView[] }>(`/apps/${appName}/versions`).then((r) => r.versions) });

  // ------------------------------------------------------------------ draft: files, local copy, server saves
  const [files, setFiles] = useState<Record<string, string> | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const [baseRevision, setBaseRevision] = useState(0);
  const [savedFiles, setSavedFiles] = useState<Record<string, string>>({});
  const [saveState, setSaveState] = useState<SaveState>("loading");
  const [saveMessage, setSaveMessage] = useState<string | null>(null);
  const scope = app.data?.gatewayUrl ?? "";

  useEffect(() => {
    if (!app.data || files) return;
    let cancelled = false;
    void api<{ source: SourceView & { template: string | null } }>(`/apps/${appName}/source`).then(async ({ source }) => {
      if (cancelled) return;
      const local = readLocalDraft(scope, appName);
      let initial = source.files;
      let base = source.revision;
      if (local && !sameFiles(local.files, source.files)) {
        initial = local.files;
        base = local.baseRevision;
      } else if (source.revision === 0 && Object.keys(source.files).length === 0) {
        // A C, Rust or empty app opens on its real files, never on an AssemblyScript stand-in.
        const starter = catalogStarterFor(source.template);
        initial = starter ? await fetchStarterFiles(starter, appName) : templateFilesFor(editorTemplateForApp(source.template), appName);
        if (cancelled) return;
      }
      setFiles(initial);
      setSavedFiles(source.files);
      setBaseRevision(base);
      setSaveState(sameFiles(initial, source.files) ? "saved" : "unsaved");
      setActive(projectKindEntry(initial));
    });
    return () => {
      cancelled = true;
    };
  }, [app.data, appName, files, scope]);

  const updateFiles = useCallback((next: Record<string, string>) => {
    setFiles(next);
    setSaveState((s) => (s === "conflict" ? s : "unsaved"));
  }, []);
  // Typing goes through the previous state, never a render's possibly stale copy of `files`.
  const editFile = useCallback((path: string, value: string) => {
    setFiles((prev) => (prev && prev[path] !== value ? { ...prev, [path]: value } : prev));
    setSaveState((s) => (s === "conflict" || s === "loading" ? s : "unsaved"));
  }, []);

  // The working copy is kept in the browser on every change (a reload keeps unsaved edits).
  useEffect(() => {
    if (!files || !scope) return;
    if (sameFiles(files, savedFiles)) clearLocalDraft(scope, appName);
    else writeLocalDraft(scope, appName, { files, baseRevision });
  }, [files, savedFiles, baseRevision, scope, appName]);

  const save = useCallback(
    async (revision: number) => {
      if (!files) return;
      const sent = files;
      setSaveState("saving");
      try {
        const { source } = await api<{ source: SourceView }>(`/apps/${appName}/source`, { method: "PUT", json: { files: sent, revision } });
        setBaseRevision(source.revision);
        setSavedFiles(sent);
        setSaveMessage(null);
        setSaveState((s) => (s === "saving" ? "saved" : s));
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          setSaveState("conflict");
          setSaveMessage(e.message);
        } else {
          setSaveState("error");
          setSaveMessage(e instanceof Error ? e.message : String(e));
        }
      }
    },
    [appName, files],
  );

  // Autosave a moment after the last edit; never while a conflict waits for the user's decision.
  useEffect(() => {
    if (!files || saveState !== "unsaved" || sameFiles(files, savedFiles)) return;
    const timer = setTimeout(() => void save(baseRevision), SAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [files, saveState, savedFiles, baseRevision, save]);

  async function loadServerDraft() {
    const { source } = await api<{ source: SourceView }>(`/apps/${appName}/source`);
    syncModels(source.files);
    setFiles(source.files);
    setSavedFiles(source.files);
    setBaseRevision(source.revision);
    setSaveState("saved");
    setSaveMessage(null);
    setActive(projectKindEntry(source.files));
  }

  async function overwriteServerDraft() {
    const { source } = await api<{ source: SourceView }>(`/apps/${appName}/source`);
    await save(source.revision);
  }

  // ------------------------------------------------------------------ compile (worker) → build
  const compiler = useRef<CompileClient | null>(null);
  const runner = useRef<PreviewRunner | null>(null);
  const [compilerWarm, setCompilerWarm] = useState(false);
  useEffect(() => {
    // The compile worker outlives this page (the app page may have started it): not disposed here.
    compiler.current = sharedCompileClient();
    compiler.current.start();
    runner.current = new PreviewRunner();
    runner.current.warm();
    const unsubscribe = compiler.current.whenWarmed(() => setCompilerWarm(true));
    return () => {
      unsubscribe();
      runner.current?.dispose();
    };
  }, []);
  const [build, setBuild] = useState<Build | null>(null);
  const [pane, setPane] = useState<"files" | "code" | "preview">("code");
  const [compiling, setCompiling] = useState(false);
  const latestCompile = useRef(0);
  // The engine capped to the app's memory limit, kept across builds (capping copies ~1 MB).
  const cappedEngine = useRef<{ key: string; bytes: Uint8Array } | null>(null);
  const kind = useMemo(() => (files ? projectKind(files) : null), [files]);
  // The preamble's first 8 bytes are the first 12 base64 characters.
  const uploadedComponent = useMemo(() => kind?.language === "wasm" && isComponentBinary(base64ToBytes((files?.[kind.entry] ?? "").slice(0, 12))), [files, kind]);

  useEffect(() => {
    if (kind?.language === "assemblyscript" || kind?.language === "wat" || kind?.language === "javascript") compiler.current?.warm(kind.language);
  }, [kind?.language]);

  useEffect(() => {
    if (!files || !kind) return;
    const ticket = ++latestCompile.current;
    setCompiling(true);
    const timer = setTimeout(async () => {
      const settings = manifestSettings(files[MANIFEST_PATH]);
      let wasm: Uint8Array | null = null;
      let diagnostics: Diagnostic[] = [...settings.diagnostics];
      let ms = 0;
      let built: Record<string, Uint8Array> = {};
      let moduleKey = `${ticket}`;
      /** The uploaded file when it is a component (WASI 0.2), else null. */
      let component: string | null = null;
      if (kind.language === "javascript") {
        const sources = compiledSources(files);
        const [result, engine] = await Promise.all([
          compiler.current!.compile("javascript", sources, kind.entry, { bundle: kind.bundle }),
          loadJsEngine().catch((e: unknown) => e as Error),
        ]);
        if (ticket !== latestCompile.current) return;
        ms = result.ms;
        diagnostics = [...diagnostics, ...result.diagnostics];
        if (engine instanceof Error) diagnostics.push({ file: MANIFEST_PATH, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${engine.message}. Reload the editor.`, severity: "error" });
        else if (result.script) {
          wasm = engine;
          built = { [JS_WORKER_FILE]: result.script, ...(result.sourceMap ? { [JS_SOURCE_MAP_FILE]: new TextEncoder().encode(result.sourceMap) } : {}) };
          moduleKey = `js-engine:${settings.limits.memoryMb}`;
        }
      } else if (kind.language === "assemblyscript" || kind.language === "wat") {
        const sources = compiledSources(files);
        const result = await compiler.current!.compile(kind.language, sources, kind.entry);
        if (ticket !== latestCompile.current) return;
        wasm = result.wasm;
        ms = result.ms;
        diagnostics = [...diagnostics, ...result.diagnostics];
      } else if (kind.language === "wasm") {
        try {
          wasm = base64ToBytes(files[kind.entry]!);
          // A component (WASI 0.2) is checked by the console when it transpiles it, below.
          component = isComponentBinary(wasm) ? kind.entry : null;
          if (!component && !WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) throw new Error("not a valid WebAssembly module");
        } catch (e) {
          wasm = null;
          diagnostics.push({ file: kind.entry, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${kind.entry}: ${(e as Error).message}`, severity: "error" });
        }
      } else {
        diagnostics.push({ file: MANIFEST_PATH, line: 1, column: 1, endLine: 1, endColumn: 1, message: "Nothing to build: add main.ts (AssemblyScript) or main.wat, or upload a prebuilt .wasm.", severity: "error" });
      }
      let runnable: Uint8Array | null = null;
      if (wasm && component && !hasErrors(diagnostics)) {
        const started = performance.now();
        try {
          ({ artifact: runnable, moduleKey } = await componentArtifact(appName, wasm, settings.limits.memoryMb));
          ms = performance.now() - started;
        } catch (e) {
          diagnostics.push({ file: component, line: 1, column: 1, endLine: 1, endColumn: 1, message: `${component}: ${(e as Error).message}`, severity: "error" });
        }
        if (ticket !== latestCompile.current) return;
      } else if (wasm && !hasErrors(diagnostics)) {
        try {
          runnable = cappedEngine.current?.key === moduleKey ? cappedEngine.current.bytes : cappedModule(wasm, settings.limits.memoryMb);
          if (kind.language === "javascript") cappedEngine.current = { key: moduleKey, bytes: runnable };
        } catch (e) {
          diagnostics.push({ file: MANIFEST_PATH, line: 1, column: 1, endLine: 1, endColumn: 1, message: (e as Error).message, severity: "error" });
        }
      }
      setBuild({ wasm, runnable, key: `${ticket}`, moduleKey, files: built, diagnostics, ms, settings });
      setCompiling(false);
    }, COMPILE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [appName, files, kind]);

  // Before the first build there is nothing to judge: neither "no errors" nor "fix the problems".
  const errors = build ? hasErrors(build.diagnostics) : false;
  const ready = !!build?.runnable && !errors && !compiling;
  const coldCompiler = kind?.language === "assemblyscript" && !compilerWarm;
  const stage: PreviewStage = !build || compiling ? (coldCompiler ? "loading-compiler" : "compiling") : errors ? "errors" : "ready";

  // ------------------------------------------------------------------ Monaco models and markers
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  const [editorReady, setEditorReady] = useState(false);
  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    setEditorReady(true);
  };

  useEffect(() => {
    if (!editorReady || !build) return;
    for (const model of monaco.editor.getModels()) {
      const path = model.uri.path.replace(/^\//, "");
      monaco.editor.setModelMarkers(
        model,
        "wasmcompute",
        build.diagnostics
          .filter((d) => d.file === path)
          .map((d) => ({
            startLineNumber: d.line,
            startColumn: d.column,
            endLineNumber: d.endLine,
            endColumn: Math.max(d.endColumn, d.column + 1),
            message: d.message,
            severity: d.severity === "error" ? monaco.MarkerSeverity.Error : d.severity === "warning" ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
            source: d.code ?? "build",
          })),
      );
    }
  }, [build, editorReady, active]);

  // A JavaScript app is type-checked by Monaco's TypeScript service (with the platform's .d.ts),
  // across every source file of the draft; its errors are listed beside the bundler's. They do not
  // stop the preview or Publish: esbuild strips types without checking them, as the CLI does.
  const isJs = kind?.language === "javascript";
  useEffect(() => {
    configureTypeScript(isJs ? "javascript" : "assemblyscript");
  }, [isJs]);
  useEffect(() => {
    if (!isJs || !files || !editorReady) return;
    for (const [p, text] of Object.entries(files)) {
      if (!/\.(ts|tsx|mts|js|mjs)$/.test(p) || monaco.editor.getModel(monaco.Uri.parse(p))) continue;
      monaco.editor.createModel(text, languageOf(p), monaco.Uri.parse(p));
    }
  }, [isJs, files, editorReady]);
  const [typeDiagnostics, setTypeDiagnostics] = useState<Diagnostic[]>([]);
  useEffect(() => {
    if (!isJs) {
      setTypeDiagnostics([]);
      return;
    }
    const collect = () =>
      setTypeDiagnostics(
        monaco.editor
          .getModelMarkers({ owner: "typescript" })
          .concat(monaco.editor.getModelMarkers({ owner: "javascript" }))
          .map((m) => ({
            file: m.resource.path.replace(/^\//, ""),
            line: m.startLineNumber,
            column: m.startColumn,
            endLine: m.endLineNumber,
            endColumn: m.endColumn,
            message: m.message,
            severity: m.severity === monaco.MarkerSeverity.Error ? ("error" as const) : m.severity === monaco.MarkerSeverity.Warning ? ("warning" as const) : ("info" as const),
            code: `ts${typeof m.code === "string" ? m.code : (m.code?.value ?? "")}`,
          }))
          // Syntax errors (TS1xxx) are esbuild's to report, once, from the build.
          .filter((d) => files?.[d.file] !== undefined && !/^ts1\d{3}$/.test(d.code)),
      );
    collect();
    const subscription = monaco.editor.onDidChangeMarkers(collect);
    return () => subscription.dispose();
  }, [isJs, files]);
  const problems = useMemo(() => [...(build?.diagnostics ?? []), ...typeDiagnostics], [build, typeDiagnostics]);

  const errorsByFile = useMemo(() => {
    const out: Record<string, number> = {};
    for (const d of problems) if (d.severity === "error") out[d.file] = (out[d.file] ?? 0) + 1;
    return out;
  }, [problems]);

  function reveal(d: Diagnostic) {
    if (files && files[d.file] !== undefined) setActive(d.file);
    setTimeout(() => {
      editorRef.current?.revealLineInCenter(d.line);
      editorRef.current?.setPosition({ lineNumber: d.line, column: d.column });
      editorRef.current?.focus();
    }, 0);
  }

  // ------------------------------------------------------------------ preview (components/editor/preview-panel.tsx)
  const preview = usePreview({ appName, app: app.data, build, files, ready, runner });

  // ------------------------------------------------------------------ file operations
  // The editor is uncontrolled (one Monaco model per file, typed into directly): when files change
  // from outside the editor (template, server draft, rename, delete), bring the models in line.
  // The model on screen is never disposed under the editor; it goes when another file is opened.
  function syncModels(next: Record<string, string>) {
    const current = editorRef.current?.getModel();
    for (const model of monaco.editor.getModels()) {
      const text = next[model.uri.path.replace(/^\//, "")];
      if (text !== undefined) {
        if (model.getValue() !== text) model.setValue(text);
      } else if (model !== current) {
        model.dispose();
      }
    }
  }

  function createFile(path: string): string | null {
    if (!files) return null;
    if (files[path] !== undefined) return `${path} already exists.`;
    updateFiles({ ...files, [path]: "" });
    setActive(path);
    return null;
  }
  function renameFile(from: string, to: string): string | null {
    if (!files || from === to) return null;
    if (files[to] !== undefined) return `${to} already exists.`;
    const next: Record<string, string> = {};
    for (const [p, t] of Object.entries(files)) next[p === from ? to : p] = t;
    syncModels(next);
    updateFiles(next);
    if (active === from) setActive(to);
    return null;
  }
  const { confirm, dialog: confirmDialog } = useConfirm();
  async function deleteFile(path: string) {
    if (!files) return;
    if (!(await confirm({ title: `Delete ${path}?`, message: <p>The file leaves the draft (published versions keep theirs).</p>, confirmLabel: `Delete ${path}` }))) return;
    const next = { ...files };
    delete next[path];
    syncModels(next);
    updateFiles(next);
    if (active === path) setActive(projectKindEntry(next));
  }
  // A renamed or deleted file's model stays under the editor until another file is open: drop it then.
  useEffect(() => {
    if (files) syncModels(files);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  async function uploadWasm(file: File) {
    if (!files) return;
    // A prebuilt module takes precedence over sources (projectKind) until it is deleted.
    const bytes = new Uint8Array(await file.arrayBuffer());
    updateFiles({ ...files, "app.wasm": bytesToBase64(bytes) });
    setActive("app.wasm");
  }
  async function applyTemplate(id: string) {
    const template = findEditorTemplate(id);
    if (!template || !files) return;
    const ok = await confirm({
      title: `Replace the files with "${template.title}"?`,
      message: <p>Every file of the draft is replaced by the template&apos;s. Published versions are not touched.</p>,
      confirmLabel: "Replace the files",
      tone: "warning",
    });
    if (!ok) return;
    const next = templateFilesFor(template, appName);
    syncModels(next);
    updateFiles(next);
    setActive(projectKindEntry(next));
  }

  if (app.isError) return <p role="alert" className="text-sm text-red-700">{app.error.message}</p>;
  if (!app.data || !files) return <p className="text-sm text-slate-500">Loading the editor…</p>;

  const activeText = active !== null ? files[active] : undefined;
  const guide = buildGuideFor(files);
  const PANES = [
    { id: "files", label: "Files" },
    { id: "code", label: "Code" },
    { id: "preview", label: "Preview" },
  ] as const;
  const latest = versions.data?.[0]?.version;

  return (
    <div className="flex h-[calc(100dvh-5rem)] min-h-[560px] flex-col gap-2 lg:-mx-6 lg:-my-4 lg:h-[calc(100vh-2rem)] lg:min-h-[640px]">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0">
          <Breadcrumbs trail={appCrumbs(appName)} className="text-xs" />
          <h1 className="text-lg font-semibold leading-tight">Editor</h1>
        </div>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="language">
          {kind?.language === "assemblyscript" ? "AssemblyScript" : kind?.language === "javascript" ? (/\.(ts|tsx|mts)$/.test(kind.entry) ? "TypeScript" : "JavaScript") : kind?.language === "wat" ? "WebAssembly text" : kind?.language === "wasm" ? (uploadedComponent ? "WASI 0.2 component" : "prebuilt .wasm") : "no module"}
        </span>
        <label className="text-xs text-slate-600">
          <span className="sr-only">Template</span>
          <select aria-label="Template" value="" onChange={(e) => e.target.value && void applyTemplate(e.target.value)} className="w-40 rounded border border-slate-300 bg-white px-2 py-1 text-xs">
            <option value="">New from template…</option>
            <optgroup label="AssemblyScript">
              {EDITOR_TEMPLATES.filter((t) => t.language === "assemblyscript").map((t) => (
                <option key={t.id} value={t.id}>{t.title}</option>
              ))}
            </optgroup>
            <optgroup label="JavaScript and TypeScript">
              {EDITOR_TEMPLATES.filter((t) => t.language === "typescript" || t.language === "javascript").map((t) => (
                <option key={t.id} value={t.id}>{t.title}</option>
              ))}
            </optgroup>
            <optgroup label="WebAssembly text">
              {EDITOR_TEMPLATES.filter((t) => t.language === "wat").map((t) => (
                <option key={t.id} value={t.id}>{t.title}</option>
              ))}
            </optgroup>
          </select>
        </label>
        <SaveIndicator state={saveState} onSave={() => void save(baseRevision)} />
        <PublishBar appName={appName} liveUrl={app.data?.gatewayUrl} files={files} build={build} ready={ready} latestVersion={latest} onPublished={() => queryClient.invalidateQueries({ queryKey: ["versions", appName] })} onDeployed={() => queryClient.invalidateQueries({ queryKey: ["app", appName] })} runPreview={preview.run} request={preview.request} />
      </header>

      {guide ? <BuildGuideNote guide={guide} hasModule={kind?.language === "wasm"} /> : null}

      {saveState === "conflict" || saveState === "error" ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="save-conflict">
          <span className="flex-1">{saveMessage}</span>
          {saveState === "conflict" ? (
            <>
              <button type="button" className="rounded border border-amber-400 px-2 py-1 text-xs" onClick={() => void loadServerDraft()}>Load the server&apos;s draft</button>
              <button type="button" className="rounded bg-amber-600 px-2 py-1 text-xs text-white" onClick={() => void overwriteServerDraft()}>Save mine over it</button>
            </>
          ) : (
            <button type="button" className="rounded border border-amber-400 px-2 py-1 text-xs" onClick={() => void save(baseRevision)}>Retry</button>
          )}
        </div>
      ) : null}

      {/* Below 1024 px the three panes are tabs: one at a time, each the full width. */}
      <div role="tablist" aria-label="Editor panes" className="flex gap-1 rounded-lg border border-slate-200 bg-white p-1 lg:hidden">
        {PANES.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            id={`pane-tab-${p.id}`}
            aria-selected={pane === p.id}
            aria-controls={`pane-${p.id}`}
            onClick={() => setPane(p.id)}
            className={`flex-1 rounded-md px-3 py-1.5 text-sm font-medium ${pane === p.id ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {p.label}
            {p.id === "code" && errors ? <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-800">{build?.diagnostics.filter((d) => d.severity === "error").length}</span> : null}
          </button>
        ))}
      </div>

      <div className="grid min-h-0 flex-1 grid-cols-1 overflow-hidden rounded-lg border border-slate-200 bg-white lg:grid-cols-[150px_minmax(0,1fr)_360px]">
        <div id="pane-files" className={`min-h-0 ${pane === "files" ? "" : "max-lg:hidden"}`}>
          <FileTree files={files} active={active} errorsByFile={errorsByFile} onOpen={(p) => { setActive(p); setPane("code"); }} onCreate={createFile} onRename={renameFile} onDelete={deleteFile} onUploadWasm={(f) => void uploadWasm(f)} />
        </div>

        <div id="pane-code" className={`grid min-h-0 grid-rows-[minmax(0,1fr)_150px] ${pane === "code" ? "" : "max-lg:hidden"}`}>
          <div className="min-h-0" data-testid="code-editor">
            {active !== null && activeText !== undefined && !isBinaryPath(active) ? (
              <Editor
                path={active}
                defaultLanguage={languageOf(active)}
                language={languageOf(active)}
                defaultValue={activeText}
                onMount={onMount}
                onChange={(value) => value !== undefined && editFile(active, value)}
                options={EDITOR_OPTIONS}
                loading={<p className="p-4 text-sm text-slate-500">Loading the editor…</p>}
              />
            ) : active !== null && isBinaryPath(active) ? (
              <p className="p-4 text-sm text-slate-600">{active}: {active === (kind?.language === "wasm" ? kind.entry : null) && uploadedComponent ? "a WASI 0.2 component" : "a prebuilt module"} ({base64ToBytes(files[active] ?? "").length.toLocaleString()} bytes). It is what this app publishes; delete it to build from sources again.</p>
            ) : (
              <p className="p-4 text-sm text-slate-500">Open a file.</p>
            )}
          </div>
          <ProblemsPanel
            diagnostics={problems}
            checked={build !== null}
            status={!build || compiling ? (coldCompiler ? "loading the AssemblyScript compiler (first use)…" : kind?.language === "javascript" ? "bundling…" : "compiling…") : `built in ${build.ms.toFixed(0)} ms${build.files[JS_WORKER_FILE] ? ` · ${JS_WORKER_FILE} ${build.files[JS_WORKER_FILE].length.toLocaleString()} bytes` : build.wasm ? ` · ${build.wasm.length.toLocaleString()} bytes` : ""}`}
            onSelect={reveal}
          />
        </div>

        <PreviewPanel appName={appName} preview={preview} ready={ready} errors={errors} stage={stage} id="pane-preview" className={pane === "preview" ? "" : "max-lg:hidden"} />
      </div>
      {confirmDialog}
    </div>
  );
}

function projectKindEntry(files: Record<string, string>): string | null {
  const kind = projectKind(files);
  if (kind.language !== "none" && kind.language !== "wasm") return kind.entry;
  // A prebuilt module built from C or Rust: open its source.
  const source = buildGuideFor(files)?.source;
  if (source) return source;
  return files[MANIFEST_PATH] !== undefined ? MANIFEST_PATH : (Object.keys(files)[0] ?? null);
}

function SaveIndicator({ state, onSave }: { state: SaveState; onSave(): void }) {
  const label: Record<SaveState, string> = {
    loading: "Loading…",
    saved: "Draft saved",
    unsaved: "Unsaved",
    saving: "Saving draft…",
    conflict: "Not saved: conflict",
    error: "Not saved",
  };
  return (
    <span className="flex items-center gap-2 text-xs text-slate-500">
      <span data-testid="save-state" title={state === "unsaved" ? "Kept in this browser; saved to the server as a draft a moment after you stop typing" : undefined} className={state === "conflict" || state === "error" ? "text-amber-700" : ""}>
        {label[state]}
      </span>
      {state === "unsaved" ? (
        <button type="button" onClick={onSave} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50">
          Save
        </button>
      ) : null}
    </span>
  );
}
