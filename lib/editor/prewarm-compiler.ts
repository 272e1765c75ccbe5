// Started by the app page (components/apps/app-detail.tsx, imported lazily so the page does not
// carry the templates): loads the compiler the app's editor will need into the tab's shared compile
// worker, so that "Open editor" finds it loaded, or at least on its way (the cold AssemblyScript
// compiler takes seconds). Picks the language as the editor does for the files it will open.
import { api } from "@/lib/client/api";
import { projectKind, type SourceView } from "@/lib/sources/source-files";
import { editorTemplateForApp, templateFilesFor } from "@/lib/templates/templates";
import { sharedCompileClient } from "./compile-client";
import { catalogStarterFor } from "./starter-files";

export async function prewarmCompiler(appName: string): Promise<void> {
  const { source } = await api<{ source: SourceView & { template: string | null } }>(`/apps/${appName}/source`);
  const empty = source.revision === 0 && Object.keys(source.files).length === 0;
  // A C or Rust starter opens on its built .wasm: nothing to compile in the browser.
  if (empty && catalogStarterFor(source.template)) return;
  const files = empty ? templateFilesFor(editorTemplateForApp(source.template), appName) : source.files;
  const { language } = projectKind(files);
  if (language === "assemblyscript" || language === "wat" || language === "javascript") sharedCompileClient().warm(language);
}
