import { describe, expect, it } from "vitest";
import { parseRoutePattern } from "../../wasm";
import type { KvAccess, KvSession } from "../../deployment-record/ports";
import type { PoolJob, PoolOutcome } from "../worker-pool";
import type { WagiJobResult } from "../worker-protocol";
import { runGuest, splitLines, type GuestRun } from "./run";
import { errorOf, exchange, fakeDeployment, fakeDeps } from "./step-fakes";

const ok = (over: Partial<WagiJobResult> = {}): PoolOutcome => ({
  kind: "ok",
  wallMs: 2,
  result: { status: 200, headers: [], body: new Uint8Array(), stderr: "a\r\nb\n", exitCode: 0, memoryBytes: 131072, logs: [{ level: "info", message: "hi" }], runMs: 1.5, moduleMiss: false, ...over },
});

/** A key-value store that records what happened to the request's session. */
function fakeKv(events: string[], failCommit = false): KvAccess {
  const session: KvSession = {
    get: async () => (events.push("get"), null),
    set: async () => void events.push("set"),
    delete: async () => false,
    list: async () => ({ keys: [], cursor: null }),
    increment: async () => 0,
    compareAndSet: async () => true,
    commit: async () => (events.push("commit"), failCommit ? Promise.reject(new Error("disk full")) : undefined),
    discard: () => void events.push("discard"),
  } as unknown as KvSession;
  return { open: () => session } as unknown as KvAccess;
}

function guestRun(over: Parameters<typeof fakeDeployment>[0] = {}): GuestRun {
  return {
    app: { target: { tenant: "acme", app: "hello", base: "/acme/hello", path: "/api/x" }, appBase: "/acme/hello", deployment: fakeDeployment(over) },
    limits: { memoryMb: 2, timeoutMs: 1000, maxRequestBytes: 10, maxResponseBytes: 100 },
    route: { entrypoint: "api", pattern: parseRoutePattern("/api/...") },
    body: new Uint8Array([1, 2]),
  };
}

describe("run step", () => {
  it("gives the pool the WAGI request, the app's limits and its fair-share keys, and logs what the guest did", async () => {
    const jobs: PoolJob[] = [];
    const deps = fakeDeps({ pool: { run: async (job) => (jobs.push(job), ok()) } });
    const { ctx } = exchange({ url: "/acme/hello/api/x?q=1" }, deps);
    const result = await runGuest(ctx, deps, guestRun({ tenantId: "t1", env: { A: "1" } }));
    expect(result).toMatchObject({ status: 200 });
    expect(jobs[0]).toMatchObject({ tenant: "t1", app: "acme/hello", moduleHash: "hash", deadlineMs: 1000 });
    expect(jobs[0]!.input).toMatchObject({ entrypoint: "api", env: { A: "1" }, maxResponseBytes: 100, maxMemoryPages: 32 });
    expect(jobs[0]!.input.request).toMatchObject({ url: "http://hello--acme.localhost/acme/hello/api/x?q=1", route: "/api/...", scriptName: "/acme/hello/api" });
    expect(ctx.log).toMatchObject({ stderr: ["a", "b"], guestLogs: [{ level: "info", message: "hi" }], memoryBytes: 131072, computeMs: 1.5 });
  });

  it("commits the guest's key-value writes before answering, and discards them when it fails", async () => {
    const events: string[] = [];
    const deps = fakeDeps({ outcome: ok() });
    expect(await runGuest(exchange({}, deps).ctx, deps, guestRun({ kv: fakeKv(events) } as never))).toMatchObject({ status: 200 });
    expect(events).toEqual(["commit"]);
    events.length = 0;
    const trapped = fakeDeps({ outcome: ok({ error: { kind: "trap", message: "unreachable" }, memoryBytes: 65536 }) });
    expect(errorOf(await runGuest(exchange({}, trapped).ctx, trapped, guestRun({ kv: fakeKv(events) } as never)))?.code).toBe("guest-trap");
    expect(events).toEqual(["discard"]);
    const failing = fakeDeps({ outcome: ok() });
    expect(errorOf(await runGuest(exchange({}, failing).ctx, failing, guestRun({ kv: fakeKv([], true) } as never)))).toMatchObject({ code: "storage-failed", detail: "disk full" });
  });

  it("tells a trap at the memory cap from any other trap, by the guest's memory, not its message", async () => {
    const atCap = fakeDeps({ outcome: ok({ error: { kind: "trap", message: "unreachable" }, memoryBytes: 2 * 1024 * 1024 }) });
    expect(errorOf(await runGuest(exchange({}, atCap).ctx, atCap, guestRun()))?.message).toMatch(/ran out of memory: it reached its 2 MiB limit/);
  });

  it("answers the pool's failures by their typed cause", async () => {
    const cases: [PoolOutcome, string][] = [
      [{ kind: "timeout", wallMs: 1000 }, "deadline-exceeded"],
      [{ kind: "crashed", cause: "host-memory", message: "x", wallMs: 1 }, "out-of-memory"],
      [{ kind: "crashed", cause: "load-database", message: "x", wallMs: 1 }, "database-unavailable"],
      [{ kind: "crashed", cause: "worker", message: "out of memory", wallMs: 1 }, "worker-crashed"],
      [{ kind: "overloaded", queued: 9 }, "overloaded"],
      [{ kind: "busy", scope: "app", limit: 4 }, "too-many-requests"],
    ];
    for (const [outcome, code] of cases) {
      const deps = fakeDeps({ outcome });
      expect(errorOf(await runGuest(exchange({}, deps).ctx, deps, guestRun()))?.code).toBe(code);
    }
  });

  it("splits stderr into lines at LF and CRLF", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a\r\nb\nc")).toEqual(["a", "b", "c"]);
  });
});
