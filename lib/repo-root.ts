// The repository's root folder, found the same way from the sources (lib/…, scripts/…) and from the
// server bundle (dist/server/, scripts/bundle-server.mjs), whose import.meta.dirname differ.
import { existsSync } from "node:fs";
import path from "node:path";

/** The nearest folder at or above `from` that holds package.json. */
export function findRepoRoot(from: string = import.meta.dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json at or above ${from}`);
  }
}
