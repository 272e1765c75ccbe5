// Vitest's global setup: builds the server bundle (dist/server/, scripts/bundle-server.mjs) once
// before any test file runs, so the processes tests spawn run the sources as they are now, and
// tells the test files (their processes inherit the environment) not to build it again.
import { bundleServer } from "./platform";

export default function setup(): void {
  bundleServer();
}
