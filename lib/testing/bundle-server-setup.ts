// Vitest's global setup: builds the server bundle (dist/server/, scripts/bundle-server.mjs) once
// before any test file runs, so the processes tests spawn run the sources as they are now.
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, "..", "..", "scripts", "bundle-server.mjs")], { stdio: "inherit" });
}
