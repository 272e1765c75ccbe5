// Maps the engine's stack locations in a JavaScript app's preview logs (`_worker.js:12:9`) back to
// the TypeScript the user wrote (`src/index.ts:7:11`), with the bundle's source map from esbuild.
// A small reader of source map v3 "mappings" (base64 VLQ): only what a lookup needs.
import { JS_WORKER_FILE } from "@/lib/javascript/js-app";

export interface SourceMapV3 {
  version: 3;
  sources: string[];
  mappings: string;
}

/** Per generated line: segments [generatedColumn, sourceIndex, originalLine, originalColumn], 0-based. */
type Segments = [number, number, number, number][][];

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeMappings(mappings: string): Segments {
  const lines: Segments = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const lineText of mappings.split(";")) {
    const segments: Segments[number] = [];
    let generated = 0;
    for (const segment of lineText.split(",")) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generated += values[0] ?? 0;
      if (values.length >= 4) {
        source += values[1]!;
        line += values[2]!;
        column += values[3]!;
        segments.push([generated, source, line, column]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

export interface StackMapper {
  /** The source position of a 1-based generated line and column, or null where the map says nothing. */
  original(line: number, column: number): { source: string; line: number; column: number } | null;
  /** `text` with each `_worker.js:line:column` replaced by its source position. */
  mapText(text: string): string;
}

export function stackMapper(mapText: string): StackMapper {
  const map = JSON.parse(mapText) as SourceMapV3;
  const lines = decodeMappings(map.mappings);
  const original: StackMapper["original"] = (line, column) => {
    const segments = lines[line - 1];
    if (!segments?.length) return null;
    let best: Segments[number][number] | null = null;
    for (const s of segments) if (s[0] <= column - 1) best = s;
    best ??= segments[0]!;
    const source = map.sources[best[1]];
    // esbuild names sources relative to the output file ("src/index.ts" beside /_worker.js).
    return source === undefined ? null : { source: source.replace(/^(\.\/)+/, ""), line: best[2] + 1, column: best[3] + 1 };
  };
  const pattern = new RegExp(`${JS_WORKER_FILE.replace(".", "\\.")}:(\\d+):(\\d+)`, "g");
  return {
    original,
    mapText: (text) =>
      text.replace(pattern, (whole, l: string, c: string) => {
        const at = original(Number(l), Number(c));
        return at ? `${at.source}:${at.line}:${at.column}` : whole;
      }),
  };
}
