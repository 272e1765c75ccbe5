import type { CompileResult } from "./compile-as";

export interface CompileJob {
  id: number;
  language: "assemblyscript" | "wat";
  files: Record<string, string>;
  entry: string;
}

export type CompileReply = CompileResult & { id: number; skipped?: boolean };
