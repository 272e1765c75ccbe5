// The operator's ceilings (issue #13 item 3): read from the environment with safe defaults, named
// in the publish refusal (tenant-fairness.test.ts publishes through the API), and held at run time
// for a version whose manifest asks for more, its memory included.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { createFolderRegistry } from "../runtime/folder-registry";
import { createGateway, type Gateway } from "../runtime/gateway";
import type { RequestLog } from "./ports";
import { InvalidCeilingError, LIMIT_CEILING_DEFAULTS, limitCeilingsFromEnv, limitsOverCeilings } from "./limit-ceilings";

describe("ceilings from the environment", () => {
  it("default to 30 s and 256 MiB (bodies: the manifest's 100 MiB bound)", () => {
    expect(limitCeilingsFromEnv({})).toEqual({ timeoutMs: 30_000, memoryMb: 256, maxRequestBytes: 100 * 1024 * 1024, maxResponseBytes: 100 * 1024 * 1024 });
    expect(limitCeilingsFromEnv({ GATEWAY_MAX_TIMEOUT_MS: " 5000 ", GATEWAY_MAX_MEMORY_MB: "64", GATEWAY_MAX_RESPONSE_BYTES: "" })).toMatchObject({
      timeoutMs: 5000,
      memoryMb: 64,
      maxResponseBytes: LIMIT_CEILING_DEFAULTS.maxResponseBytes,
    });
  });

  it("refuse a value that is not a whole number in range, naming the variable", () => {
    expect(() => limitCeilingsFromEnv({ GATEWAY_MAX_MEMORY_MB: "lots" })).toThrow(InvalidCeilingError);
    expect(() => limitCeilingsFromEnv({ GATEWAY_MAX_TIMEOUT_MS: "0" })).toThrow(/^GATEWAY_MAX_TIMEOUT_MS="0" must be a whole number from 1 to 900000 \(default 30000\)/);
    expect(() => limitCeilingsFromEnv({ GATEWAY_MAX_MEMORY_MB: "8192" })).toThrow(/GATEWAY_MAX_MEMORY_MB="8192" must be a whole number from 1 to 4096/);
  });

  it("name every limit a manifest sets above its ceiling, and only those", () => {
    const ceilings = limitCeilingsFromEnv({ GATEWAY_MAX_REQUEST_BYTES: "1024" });
    expect(limitsOverCeilings({ timeoutMs: 900_000, memoryMb: 4096, maxRequestBytes: 2048 }, ceilings)).toEqual([
      "wasmcompute.yaml: limits.timeoutMs is 900000 ms, above this platform's ceiling of 30000 ms (GATEWAY_MAX_TIMEOUT_MS). Lower it, or ask the operator to raise the ceiling.",
      "wasmcompute.yaml: limits.memoryMb is 4096 MiB, above this platform's ceiling of 256 MiB (GATEWAY_MAX_MEMORY_MB). Lower it, or ask the operator to raise the ceiling.",
      "wasmcompute.yaml: limits.maxRequestBytes is 2048 bytes, above this platform's ceiling of 1024 bytes (GATEWAY_MAX_REQUEST_BYTES). Lower it, or ask the operator to raise the ceiling.",
    ]);
    expect(limitsOverCeilings({ timeoutMs: 30_000, memoryMb: 256 }, ceilings)).toEqual([]);
  });
});

describe("ceilings at run time, for a version that asks for more", () => {
  const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wasm");
  let dir: string;
  let gateway: Gateway;
  let base: string;
  const logs: RequestLog[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "ceilings-"));
    // Published (capped) under its own limits, as a version published before the ceiling was lowered.
    for (const [app, fixture, limits] of [
      ["loop", "loop", { timeoutMs: 20_000 }],
      ["memory", "memory-grow", { memoryMb: 64 }],
    ] as const) {
      mkdirSync(path.join(dir, "demo", app), { recursive: true });
      copyFileSync(path.join(FIXTURES, `${fixture}.wasm`), path.join(dir, "demo", app, "module.wasm"));
      writeFileSync(path.join(dir, "demo", app, "manifest.json"), JSON.stringify({ limits }));
    }
    gateway = await createGateway({
      resolve: createFolderRegistry({ dir }).resolve,
      poolOptions: { size: 2 },
      maxLimits: { timeoutMs: 500, memoryMb: 16 },
      onLog: (record) => logs.push(record),
    });
    await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops a guest at the timeout ceiling, not at the 20 s its manifest asks for", async () => {
    const res = await fetchApp(appUrl(base, "demo", "loop"), { signal: AbortSignal.timeout(15_000) });
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/within its 500 ms limit/);
  });

  it("holds the guest's memory to the memory ceiling, not the 64 MiB it was published with", async () => {
    const res = await fetchApp(appUrl(base, "demo", "memory"));
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "out-of-memory", message: expect.stringMatching(/its 16 MiB limit/) });
    const record = logs.find((l) => l.requestId === res.headers.get("x-request-id"));
    expect(record?.memoryBytes).toBe(16 * 1024 * 1024);
    expect(record?.memoryLimitMb).toBe(16);
  });
});
