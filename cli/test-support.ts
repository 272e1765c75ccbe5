// Helpers for the CLI's unit tests: a tiny fake console on 127.0.0.1 and an in-memory run of the CLI.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { run } from "./main";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type FakeHandler = (req: Recorded, res: ServerResponse) => unknown;

export interface FakeServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const recorded = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    try {
      await handler(recorded, res);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, field?: string): void {
  sendJson(res, status, { error: { code, message, field } });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in this process with captured output; env holds only what the test gives. `tty`
 * makes stdin a terminal: each password prompt takes the next answer (and is recorded in `prompts`).
 */
export async function runCli(
  argv: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string; tty?: string[] } = {},
): Promise<CliResult & { prompts: string[] }> {
  let stdout = "";
  let stderr = "";
  const prompts: string[] = [];
  const answers = [...(options.tty ?? [])];
  const code = await run(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: "/nonexistent-home", ...options.env },
    cwd: options.cwd ?? process.cwd(),
    readStdin: options.stdin === undefined ? undefined : async () => options.stdin!,
    promptPassword: options.tty
      ? async (prompt: string) => {
          prompts.push(prompt);
          const answer = answers.shift();
          if (answer === undefined) throw new Error(`unexpected prompt ${JSON.stringify(prompt)}`);
          return answer;
        }
      : undefined,
  });
  return { code, stdout, stderr, prompts };
}

export async function tempDir(prefix = "wasmcompute-cli-"): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The smallest valid module: the magic bytes and version 1. */
export const EMPTY_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Each test of the file gets a fresh temporary folder and at most one fake console, both removed
 * after it. `serve` starts the console and returns the environment that points the CLI at it.
 */
export function cliSandbox() {
  let tmp: Awaited<ReturnType<typeof tempDir>> | undefined;
  let server: FakeServer | undefined;
  beforeEach(async () => (tmp = await tempDir()));
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await tmp?.remove();
  });
  const sandbox = {
    get dir(): string {
      return tmp!.dir;
    },
    get server(): FakeServer {
      if (!server) throw new Error("no fake console started: call serve() first");
      return server;
    },
    async serve(handler: FakeHandler): Promise<Record<string, string>> {
      server = await startFakeServer(handler);
      return { WASMCOMPUTE_URL: server.url, WASMCOMPUTE_TOKEN: "wc_test", WASMCOMPUTE_CONFIG: path.join(tmp!.dir, "config.json") };
    },
  };
  return sandbox;
}

/** A version as the console's API answers it (lib/api-shapes VersionView). */
export const versionView = (v: string) => ({
  version: v,
  createdAt: "2025-11-26T01:40:00.000Z",
  moduleSha256: "a".repeat(64),
  moduleSize: 8,
  manifestSha256: "b".repeat(64),
  filesSha256: "c".repeat(64),
  manifest: {},
  tainted: false,
  live: [],
});
