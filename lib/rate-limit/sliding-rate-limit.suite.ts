// The sliding window on a real database, with an injected clock (no sleeps): run once per kind by
// sliding-rate-limit.{embedded,postgres}.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { newTestAccount } from "@/lib/testing/console-client";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "@/lib/testing/test-database";
import { EMAIL_UNAVAILABLE, signUpFromAddress } from "@/lib/tenants/sign-up";
import { hitSlidingRateLimit } from "./hit-sliding-rate-limit";
import { hitSignUpLimit } from "./sign-up-limit";

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/** The AppError a call threw, or null when it went through. */
async function refusal(p: Promise<unknown>): Promise<AppError | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

export function slidingRateLimitSuite(kind: DatabaseKind): void {
  describe(`sliding-window rate limit on ${kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
    }, 60_000);
    afterAll(() => t?.close());

    const rule = (key: string, limit = 3, windowSeconds = 600) => ({ key, limit, windowSeconds, message: "Too many. Wait {retry} and try again." });

    it("allows N in the window, refuses N+1 with a Retry-After, and frees each slot one window after its hit", async () => {
      const start = new Date("2030-01-01T10:00:00Z");
      const r = rule("test:slide");
      // Three hits, a minute apart.
      for (const s of [0, 60, 120]) expect(await refusal(hitSlidingRateLimit(r, at(start, s)))).toBeNull();

      const fourth = await refusal(hitSlidingRateLimit(r, at(start, 180)));
      expect(fourth).toMatchObject({ code: "RATE_LIMITED", status: 429, message: "Too many. Wait 7 minutes and try again." });
      // The first hit (at 0 s) leaves the window at 600 s: 420 s from 180 s.
      expect(fourth!.details?.retryAfterSeconds).toBe(420);

      // Refused hits are not counted: retrying does not push the wait out.
      for (const s of [300, 500, 599]) {
        expect((await refusal(hitSlidingRateLimit(r, at(start, s))))?.details?.retryAfterSeconds).toBe(600 - s);
      }
      // 600 s: the first hit has left; one slot, not the whole window (as a fixed window would).
      expect(await refusal(hitSlidingRateLimit(r, at(start, 600)))).toBeNull();
      expect((await refusal(hitSlidingRateLimit(r, at(start, 601))))?.details?.retryAfterSeconds).toBe(59);
      // 660 s: the second hit has left.
      expect(await refusal(hitSlidingRateLimit(r, at(start, 660)))).toBeNull();
      expect(await refusal(hitSlidingRateLimit(r, at(start, 661)))).not.toBeNull();
      // Rows that left the window are deleted: only the three hits in it remain.
      expect(await t.db.rateLimitWindow.count({ where: { key: "test:slide" } })).toBe(3);
    });

    it("is not a fixed window: hits just before and just after an hour boundary still add up", async () => {
      const r = rule("test:boundary", 3, 3600);
      const boundary = new Date("2030-01-01T11:00:00Z");
      for (const s of [-3, -2, -1]) expect(await refusal(hitSlidingRateLimit(r, at(boundary, s)))).toBeNull();
      const after = await refusal(hitSlidingRateLimit(r, at(boundary, 1)));
      expect(after?.details?.retryAfterSeconds).toBe(3600 - 4);
    });

    it("counts hits in the same millisecond, and keys apart", async () => {
      const now = new Date("2030-01-02T00:00:00Z");
      const r = rule("test:same-ms", 2, 60);
      expect(await refusal(hitSlidingRateLimit(r, now))).toBeNull();
      expect(await refusal(hitSlidingRateLimit(r, now))).toBeNull();
      expect(await refusal(hitSlidingRateLimit(r, now))).not.toBeNull();
      expect(await refusal(hitSlidingRateLimit(rule("test:other", 2, 60), now))).toBeNull();
    });

    it("lets exactly `limit` of many concurrent hits through", async () => {
      const now = new Date("2030-01-03T00:00:00Z");
      const r = rule("test:concurrent", 4, 60);
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => refusal(hitSlidingRateLimit(r, at(now, i / 1000)))));
      expect(results.filter((e) => e === null)).toHaveLength(4);
      expect(results.filter((e) => e?.code === "RATE_LIMITED")).toHaveLength(8);
    });

    it("limits sign-ups per address with the operator's setting; malformed ones do not count", async () => {
      const start = new Date("2030-01-04T00:00:00Z");
      const limit = { limit: 2, windowSeconds: 120 };
      // hitSignUpLimit with an explicit setting, as the route gets from the environment.
      expect(await refusal(hitSignUpLimit("198.51.100.1", start, limit))).toBeNull();
      expect(await refusal(hitSignUpLimit("198.51.100.1", at(start, 30), limit))).toBeNull();
      const refused = await refusal(hitSignUpLimit("198.51.100.1", at(start, 60), limit));
      expect(refused).toMatchObject({ code: "RATE_LIMITED", message: "Too many sign-ups from this address. Wait 60 seconds and try again." });
      expect(refused!.details?.retryAfterSeconds).toBe(60);
      expect(await refusal(hitSignUpLimit("198.51.100.2", at(start, 60), limit))).toBeNull();
      expect(await refusal(hitSignUpLimit("198.51.100.1", at(start, 120), limit))).toBeNull();

      // Through the service, with the default setting (20 an hour): input that does not parse is
      // refused before the limit, so typos on a shared address use none of it.
      const address = "198.51.100.9";
      for (let i = 0; i < 25; i++) {
        await expect(signUpFromAddress({ email: "not-an-email", password: "x", tenant: "A!" }, { ip: address, now: start })).rejects.toThrow(/email/i);
      }
      expect(await t.db.rateLimitWindow.count({ where: { key: `sign-up:addr:${address}` } })).toBe(0);
      const account = newTestAccount();
      const created = await signUpFromAddress(account, { ip: address, now: start });
      expect(created.email).toBe(account.email);
      const row = await t.db.rateLimitWindow.findFirstOrThrow({ where: { key: `sign-up:addr:${address}` } });
      expect(row).toMatchObject({ windowStart: start, count: 1 });
      // A taken email counts (it tells whether an account exists).
      await expect(signUpFromAddress({ ...account, tenant: `${account.tenant}-2` }, { ip: address, now: start })).rejects.toThrow(EMAIL_UNAVAILABLE);
      expect((await t.db.rateLimitWindow.findFirstOrThrow({ where: { key: `sign-up:addr:${address}` } })).count).toBe(2);
    }, 60_000);
  });
}
