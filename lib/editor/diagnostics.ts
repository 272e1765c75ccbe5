// Compile problems in one shape for every language: 1-based lines and columns, as Monaco markers
// and the problems panel use them.
export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Path in the app's file tree, or a label such as "wasmcompute (SDK)" for library code. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: Severity;
  code?: string;
}

/** 1-based line and column of a UTF-16 offset in `text` (columns count UTF-16 units, as Monaco does). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1 };
}

export const hasErrors = (diagnostics: readonly Diagnostic[]) => diagnostics.some((d) => d.severity === "error");

/** Sorted for the problems panel: errors first, then by file and position. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort((a, b) => rank[a.severity] - rank[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
