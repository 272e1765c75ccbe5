import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_PLAN, getPricePlan, uploadCapOf } from "./price-plan";
import { priceAsAwsLambda, priceAsCloudflareWorkers, priceWithPlan } from "./price-usage";

const GB = 1024 ** 3;
const usage = { requests: 3_500_000, gbSeconds: 1_000_000, cpuMs: 50_000_000, egressBytes: 200 * GB, kvOps: 0 };

describe("pricing", () => {
  it("prices by the plan past its free tier", () => {
    const bill = priceWithPlan(DEFAULT_PRICE_PLAN, usage);
    // 2.5M × $0.25/M + 600,000 GB-s × $0.0000125 + 190 GB × $0.05
    expect(bill.total).toBeCloseTo(0.625 + 7.5 + 9.5, 6);
    expect(bill.lines[0]!.formula).toBe("max(0, 3,500,000 − 1,000,000) × $0.25 / 1M requests = $0.63");
  });

  it("prices the same usage at AWS Lambda and Cloudflare Workers list prices", () => {
    // 2.5M × $0.20/M + 600,000 × $0.0000166667 + 100 GB × $0.09
    expect(priceAsAwsLambda(usage).total).toBeCloseTo(0.5 + 10.00002 + 9, 5);
    // $5 + 0 requests over 10M + 20M CPU ms × $0.02/M
    expect(priceAsCloudflareWorkers(usage).total).toBeCloseTo(5.4, 6);
    expect(priceAsCloudflareWorkers({ ...usage, requests: 0, cpuMs: 0 }).total).toBe(5);
    expect(priceAsAwsLambda({ requests: 10, gbSeconds: 1, cpuMs: 1, egressBytes: 10, kvOps: 0 }).total).toBe(0);
  });

  it("reads a partial plan from PRICE_PLAN and says what is wrong with a bad one", () => {
    expect(getPricePlan({ PRICE_PLAN: '{"name":"Team","monthlyFee":20,"unit":{"perGbSecond":0.00001}}' })).toMatchObject({
      name: "Team",
      monthlyFee: 20,
      unit: { perGbSecond: 0.00001, perMillionRequests: 0.25 },
      free: DEFAULT_PRICE_PLAN.free,
    });
    expect(() => getPricePlan({ PRICE_PLAN: '{"monthlyFee":-1}' })).toThrow(/PRICE_PLAN: .*monthlyFee/s);
    expect(() => getPricePlan({ PRICE_PLAN: "{" })).toThrow("PRICE_PLAN is not valid JSON");
  });

  it("caps publish uploads at the plan's uploadMaxBytes, else at the server's default", () => {
    expect(uploadCapOf(DEFAULT_PRICE_PLAN, 64 * 1024 * 1024)).toBe(64 * 1024 * 1024);
    expect(uploadCapOf(getPricePlan({ PRICE_PLAN: '{"name":"Small","uploadMaxBytes":1048576}' }), 64 * 1024 * 1024)).toBe(1024 * 1024);
    expect(() => getPricePlan({ PRICE_PLAN: '{"uploadMaxBytes":0}' })).toThrow(/uploadMaxBytes/);
    expect(() => getPricePlan({ PRICE_PLAN: '{"uploadMaxBytes":1.5}' })).toThrow(/uploadMaxBytes/);
  });
});
