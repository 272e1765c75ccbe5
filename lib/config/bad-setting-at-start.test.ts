// A bad setting stops each kind of process as it starts, with one line naming it and exit code 1
// (the CLI: its usage code, 2), never a stack trace: the real scripts, spawned. The console process
// runs from the build (`npm test` makes it; `npx next build` by hand); `npm start` as package.json runs it.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serverProcessArgs } from "@/lib/testing/platform";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Runs node with `args` in the repository, answering its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: typeof error?.code === "number" ? error.code : error ? -1 : 0, output: stdout + stderr }),
    );
  });
}

const noStack = (output: string) => expect(output).not.toMatch(/\n\s+at /);

describe("a bad setting at start", () => {
  it("stops the gateway with the message", async () => {
    const { code, output } = await run(serverProcessArgs("gateway"), { GATEWAY_PORT: "0", GATEWAY_WORKERS: "two" });
    expect(code).toBe(1);
    expect(output).toContain('[gateway] GATEWAY_WORKERS must be a whole number of worker threads (1 or more), got "two"');
    noStack(output);
  });

  it("stops `npm start` before it starts anything", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "wc-bad-setting-"));
    try {
      const { code, output } = await run(["scripts/bundle-server.mjs", "start"], { DATA_DIR: dataDir, PORT: "0", GATEWAY_PORT: "0", UPLOAD_MAX_BYTES: "abc" });
      expect(code).toBe(1);
      expect(output).toContain('[wasmcompute] failed to start: UPLOAD_MAX_BYTES must be a whole number of bytes (1 or more), got "abc"');
      noStack(output);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("stops a console process (scripts/console-server.mjs, from the build)", async () => {
    const { code, output } = await run(["scripts/console-server.mjs", "-H", "127.0.0.1", "-p", "0"], { UPLOAD_MAX_BYTES: "abc", NEXTAUTH_SECRET: "test-secret" });
    expect(code).toBe(1);
    expect(output).toContain('[console] UPLOAD_MAX_BYTES must be a whole number of bytes (1 or more), got "abc"');
    noStack(output);
  });

  it("stops every CLI command with its usage exit code", async () => {
    const { code, output } = await run(["cli/bin.mjs", "apps"], { WASMCOMPUTE_URL: "console.example.com", WASMCOMPUTE_TOKEN: "wc_x" });
    expect(code).toBe(2);
    expect(output).toContain('error: WASMCOMPUTE_URL must be an http:// or https:// URL such as https://example.com, got "console.example.com"');
    noStack(output);
  });
});
