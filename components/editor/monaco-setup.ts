// Monaco from our own bundle: the editor and its web workers are built by Next (no CDN), and the
// React wrapper is pointed at this instance instead of fetching one.
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";

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

// AssemblyScript is TypeScript syntax with its own types (i32, usize…): keep the highlighting and
// the syntax checks, but leave type errors to the AssemblyScript compiler, whose markers we show.
monaco.typescript.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, noSuggestionDiagnostics: true });
monaco.typescript.typescriptDefaults.setCompilerOptions({ target: monaco.typescript.ScriptTarget.ESNext, experimentalDecorators: true, noLib: true, allowNonTsExtensions: true });

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
