// Starts a whole platform (`npm start`'s script) for a story that needs its own, e.g. a restart.
import { spawn, type ChildProcess } from "node:child_process";

export interface Platform {
  url: string;
  stop(): Promise<void>;
}

export async function startPlatform(options: { port: number; dataDir: string; env?: Record<string, string> }): Promise<Platform> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, PORT: String(options.port), GATEWAY_PORT: String(options.port + 1), DATA_DIR: options.dataDir, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited early:\n${output}`);
    if (output.includes("WasmCompute is running")) break;
    if (Date.now() > deadline) throw new Error(`platform did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
