// Unsaved edits survive a reload: the working copy is kept in localStorage per app, with the
// server revision it was based on (so a save from it can still be refused as stale).
import { z } from "zod";
import { SourceFiles } from "@/lib/sources/source-files";

const LocalDraft = z.object({ files: SourceFiles, baseRevision: z.number().int().min(0), savedAt: z.number() });
export type LocalDraft = z.infer<typeof LocalDraft>;

const key = (scope: string, app: string) => `wasmcompute:editor:${scope}:${app}`;

export function readLocalDraft(scope: string, app: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(key(scope, app));
    if (!raw) return null;
    const parsed = LocalDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeLocalDraft(scope: string, app: string, draft: Omit<LocalDraft, "savedAt">): void {
  try {
    localStorage.setItem(key(scope, app), JSON.stringify({ ...draft, savedAt: Date.now() }));
  } catch {
    // Storage full or disabled: the server draft is still saved.
  }
}

export function clearLocalDraft(scope: string, app: string): void {
  try {
    localStorage.removeItem(key(scope, app));
  } catch {
    // ignore
  }
}

export function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}
