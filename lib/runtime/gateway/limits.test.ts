import { describe, expect, it } from "vitest";
import type { SpendingCapRefusal } from "../../deployment-record/ports";
import { applyLimits, createDatabaseWait, effectiveLimits } from "./limits";
import { errorOf, exchange, fakeDeployment, fakeDeps } from "./step-fakes";
import type { AppRequest } from "./context";

const REFUSAL: SpendingCapRefusal = { tenant: "acme", cap: 10, spent: 10.5, currency: "USD", month: "2026-12", resetsAt: "2027-01-01T00:00:00.000Z" };
const appWith = (over: Parameters<typeof fakeDeployment>[0]): AppRequest => ({ target: { tenant: "acme", app: "hello", base: "", path: "/" }, appBase: "", deployment: fakeDeployment(over) });

describe("limits step", () => {
  it("lays the app's own limits over the defaults and cuts them to the operator's ceilings", () => {
    const defaults = { memoryMb: 128, timeoutMs: 10_000, maxRequestBytes: 100, maxResponseBytes: 100 };
    expect(effectiveLimits(defaults, [["memoryMb", 256], ["timeoutMs", 30_000]], { memoryMb: 512, timeoutMs: 20_000 })).toEqual({ ...defaults, memoryMb: 256, timeoutMs: 20_000 });
  });

  it("records the memory cap, and asks the spending cap of the deployment's tenant", async () => {
    const asked: string[] = [];
    const deps = fakeDeps({ spendingCap: { check: (tenantId) => (asked.push(tenantId), null) } });
    const { ctx } = exchange({}, deps);
    expect(await applyLimits(ctx, deps, appWith({ tenantId: "t1", limits: { memoryMb: 64 } }))).toMatchObject({ memoryMb: 64 });
    expect(asked).toEqual(["t1"]);
    expect(ctx.log.memoryLimitMb).toBe(64);
    // A deployment with no tenant id (a folder registry) has no bill to cap.
    await applyLimits(ctx, deps, appWith({}));
    expect(asked).toEqual(["t1"]);
  });

  it("ends a refused request with 402, logged as not billable", async () => {
    const deps = fakeDeps({ spendingCap: { check: async () => REFUSAL } });
    const { ctx } = exchange({}, deps);
    const error = errorOf(await applyLimits(ctx, deps, appWith({ tenantId: "t1" })));
    expect(error).toMatchObject({ code: "spending-cap-reached", message: expect.stringMatching(/reached its monthly spending cap of \$10\.00/) });
    expect(ctx.log.billable).toBe(false);
  });

  it("answers 503 when the cap cannot be asked in time, 500 when asking it fails otherwise", async () => {
    const slow = fakeDeps({ spendingCap: { check: () => new Promise(() => {}) }, withinDatabaseWait: createDatabaseWait(20), databaseWaitMs: 20 });
    expect(errorOf(await applyLimits(exchange({}, slow).ctx, slow, appWith({ tenantId: "t1" })))).toMatchObject({
      code: "database-busy",
      message: "The gateway's database did not answer within 0.02 s, so it could not check the tenant's spending cap. Retry shortly.",
    });
    const broken = fakeDeps({ spendingCap: { check: () => Promise.reject(new Error("bug")) } });
    expect(errorOf(await applyLimits(exchange({}, broken).ctx, broken, appWith({ tenantId: "t1" })))?.code).toBe("internal");
  });

  it("a database wait passes a value at hand through untouched", () => {
    const value = { a: 1 };
    expect(createDatabaseWait(10)(value)).toBe(value);
  });
});
