// WebAssembly text → binary with wabt.js. Pure: the caller passes the initialised wabt in.
import type { Diagnostic } from "./diagnostics";
import type { CompileResult } from "./compile-as";

/** What we use of wabt's module object. */
export interface WabtLike {
  parseWat(
    filename: string,
    buffer: string,
    features?: Record<string, boolean>,
  ): { resolveNames(): void; validate(): void; toBinary(o: { write_debug_names?: boolean }): { buffer: Uint8Array }; destroy(): void };
}

// wabt reports "file.wat:3:5: error: unexpected token …" (one or more, newline separated).
const LOCATED = /^(.*?):(\d+):(\d+): (error|warning): (.*)$/;

export function parseWabtErrors(message: string, file: string): Diagnostic[] {
  const lines = message.split("\n");
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LOCATED.exec(lines[i]!.trim());
    if (!m) continue;
    const line = Number(m[2]);
    const column = Number(m[3]);
    // wabt prints the offending line and a ^^^ underline beneath it: use its length as the range.
    const underline = lines[i + 2]?.match(/^\s*(\^+)/);
    const width = underline ? underline[1]!.length : 1;
    diagnostics.push({ file, line, column, endLine: line, endColumn: column + width, message: m[5]!, severity: m[4] === "warning" ? "warning" : "error", code: "wat" });
  }
  if (diagnostics.length === 0 && message.trim()) {
    diagnostics.push({ file, line: 1, column: 1, endLine: 1, endColumn: 2, message: message.trim().split("\n")[0]!, severity: "error", code: "wat" });
  }
  return diagnostics;
}

export function compileWat(wabt: WabtLike, source: string, file: string): CompileResult {
  const started = performance.now();
  let module: ReturnType<WabtLike["parseWat"]> | null = null;
  try {
    module = wabt.parseWat(file, source, { bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true, multi_value: true });
    module.resolveNames();
    module.validate();
    const { buffer } = module.toBinary({ write_debug_names: false });
    return { wasm: new Uint8Array(buffer), diagnostics: [], ms: performance.now() - started };
  } catch (e) {
    return { wasm: null, diagnostics: parseWabtErrors(e instanceof Error ? e.message : String(e), file), ms: performance.now() - started };
  } finally {
    module?.destroy();
  }
}
