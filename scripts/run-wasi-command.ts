// Runs a WASI command module on our own host (lib/wasm runWasi): stdout and stderr pass through,
// the exit code is the module's. For build steps (scripts/build-js-engine.sh); never node:wasi,
// which crashes the process after a few hundred instantiations.
//   tsx scripts/run-wasi-command.ts module.wasm [args...]
import { readFileSync } from "node:fs";
import { runWasi } from "../lib/wasm";

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx scripts/run-wasi-command.ts module.wasm [args...]");
  process.exit(2);
}
const result = runWasi({ module: new WebAssembly.Module(readFileSync(file)), args: [file, ...args] });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
if (result.error) console.error(`${file}: ${result.error.kind}${"message" in result.error ? `: ${result.error.message}` : ""}`);
process.exitCode = result.exitCode;
