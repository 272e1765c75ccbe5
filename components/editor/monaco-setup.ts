// Monaco from our own bundle: the editor and its web workers are built by Next (no CDN), and the
// React wrapper is pointed at this instance instead of fetching one.
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import { WORKER_TYPES_DTS, WORKER_TYPES_FILE } from "@/lib/javascript/worker-types";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    switch (label) {
      case "json":
        return new Worker(new URL("../../lib/editor/monaco/json.worker.ts", import.meta.url), { type: "module", name: "monaco-json" });
      case "css":
      case "scss":
      case "less":
        return new Worker(new URL("../../lib/editor/monaco/css.worker.ts", import.meta.url), { type: "module", name: "monaco-css" });
      case "html":
      case "handlebars":
      case "razor":
        return new Worker(new URL("../../lib/editor/monaco/html.worker.ts", import.meta.url), { type: "module", name: "monaco-html" });
      case "typescript":
      case "javascript":
        return new Worker(new URL("../../lib/editor/monaco/ts.worker.ts", import.meta.url), { type: "module", name: "monaco-ts" });
      default:
        return new Worker(new URL("../../lib/editor/monaco/editor.worker.ts", import.meta.url), { type: "module", name: "monaco-editor" });
    }
  },
};

let workerTypes: { dispose(): void }[] = [];

/**
 * What Monaco's TypeScript service checks. AssemblyScript is TypeScript syntax with its own types
 * (i32, usize…): keep the highlighting and the syntax checks, but leave type errors to the
 * AssemblyScript compiler, whose markers we show. A JavaScript app is real TypeScript: ES2023
 * (what QuickJS runs) plus the platform's API (lib/javascript/worker-types.ts), no DOM.
 */
export function configureTypeScript(language: "assemblyscript" | "javascript"): void {
  const ts = monaco.typescript;
  for (const d of workerTypes) d.dispose();
  workerTypes = [];
  if (language === "assemblyscript") {
    ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, noSuggestionDiagnostics: true });
    ts.typescriptDefaults.setCompilerOptions({ target: ts.ScriptTarget.ESNext, experimentalDecorators: true, noLib: true, allowNonTsExtensions: true });
    return;
  }
  const options = {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    lib: ["lib.es2023.d.ts"],
    strict: true,
    noEmit: true,
    allowJs: true,
    resolveJsonModule: true,
    allowNonTsExtensions: true,
  };
  for (const defaults of [ts.typescriptDefaults, ts.javascriptDefaults]) {
    defaults.setCompilerOptions(options);
    defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, noSuggestionDiagnostics: true });
    workerTypes.push(defaults.addExtraLib(WORKER_TYPES_DTS, `file:///node_modules/@types/wasmcompute/${WORKER_TYPES_FILE}`));
  }
}
configureTypeScript("assemblyscript");

// WebAssembly text: a small Monarch grammar (Monaco ships none).
monaco.languages.register({ id: "wat", extensions: [".wat", ".wast"], aliases: ["WebAssembly text", "wat"] });
monaco.languages.setLanguageConfiguration("wat", {
  comments: { lineComment: ";;", blockComment: ["(;", ";)"] },
  brackets: [["(", ")"]],
  autoClosingPairs: [
    { open: "(", close: ")" },
    { open: '"', close: '"' },
  ],
});
monaco.languages.setMonarchTokensProvider("wat", {
  keywords: ["module", "func", "param", "result", "local", "global", "memory", "data", "import", "export", "type", "table", "elem", "start", "mut", "block", "loop", "if", "then", "else", "end", "br", "br_if", "br_table", "return", "call", "call_indirect", "drop", "select", "unreachable", "nop"],
  tokenizer: {
    root: [
      [/;;.*$/, "comment"],
      [/\(;/, "comment", "@blockComment"],
      [/"([^"\\]|\\.)*"/, "string"],
      [/\$[\w.$!#%&'*+\-/:<=>?@\\^`|~]+/, "variable"],
      [/\b(i32|i64|f32|f64|v128|funcref|externref)\.[\w.]+/, "keyword.instruction"],
      [/\b(i32|i64|f32|f64|v128|funcref|externref)\b/, "type"],
      [/[a-z_][\w.]*/, { cases: { "@keywords": "keyword", "@default": "identifier" } }],
      [/-?(0x[0-9a-fA-F_]+|\d[\d_]*(\.\d+)?)/, "number"],
      [/[()]/, "@brackets"],
    ],
    blockComment: [
      [/;\)/, "comment", "@pop"],
      [/./, "comment"],
    ],
  },
});

loader.config({ monaco });

export { monaco };
