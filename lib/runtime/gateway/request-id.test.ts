import { describe, expect, it } from "vitest";
import { newRequestId } from "./request-id";

describe("newRequestId", () => {
  it("is a UUIDv7: the time in its first 48 bits, version 7, the RFC variant", () => {
    const id = newRequestId(Date.UTC(2026, 11, 4, 23, 30));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 11, 4, 23, 30));
  });

  it("sorts by time across milliseconds and differs within one", () => {
    const ids = [1, 2, 255, 256, 2 ** 40].map((ms) => newRequestId(1_700_000_000_000 + ms));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => newRequestId(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });
});
