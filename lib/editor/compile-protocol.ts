import type { CompileResult } from "./compile-as";

export interface CompileJob {
  id: number;
  language: "assemblyscript" | "wat" | "javascript";
  files: Record<string, string>;
  entry: string;
  /** JavaScript: bundle `entry` into _worker.js (else `entry` is _worker.js, checked and kept as written). */
  bundle?: boolean;
}

/** `script`: a JavaScript app's _worker.js (its module is the engine, not compiled here); `sourceMap`: the bundle's. */
export type CompileReply = CompileResult & { id: number; skipped?: boolean; script?: Uint8Array; sourceMap?: string };
