// Started by the app page (components/apps/app-detail.tsx, imported lazily so the page does not
// carry the templates) and by the editor page before the editor itself (Monaco) has loaded: loads the
// compiler the app's editor will need into the tab's shared compile worker, and compiles the app's
// source with it, so that the editor finds the compiler loaded, or at least on its way (the cold
// AssemblyScript compiler takes seconds), and its first build already answered or running (the
// client hands the same sources the same answer). Picks the files and the language as the editor
// does; an editor that opens on other files (a draft kept in this browser) compiles those.
import { api } from "@/lib/client/api";
import { projectKind, type SourceView } from "@/lib/sources/source-files";
import { editorTemplateForApp, templateFilesFor } from "@/lib/templates/templates";
import { compiledSources, sharedCompileClient } from "./compile-client";
import { catalogStarterFor } from "./starter-files";

export async function prewarmCompiler(appName: string): Promise<void> {
  const { source } = await api<{ source: SourceView & { template: string | null } }>(`/apps/${appName}/source`);
  const empty = source.revision === 0 && Object.keys(source.files).length === 0;
  // A C or Rust starter opens on its built .wasm: nothing to compile in the browser.
  if (empty && catalogStarterFor(source.template)) return;
  const files = empty ? templateFilesFor(editorTemplateForApp(source.template), appName) : source.files;
  const kind = projectKind(files);
  if (kind.language !== "assemblyscript" && kind.language !== "wat" && kind.language !== "javascript") return;
  const client = sharedCompileClient();
  client.warm(kind.language);
  // The first compile warms asc's JIT as well as a throwaway one would (compile-worker.ts).
  client.precompile(kind.language, compiledSources(files), kind.entry, kind.language === "javascript" ? { bundle: kind.bundle } : {});
}
