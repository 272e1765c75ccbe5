import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "@/lib/testing/fast-check-seed";
import { AppName } from "@/lib/manifest/manifest-schema";
import { appOrigin, gatewayDomain, tenantGatewayUrl } from "@/lib/platform-urls";
import { TenantName } from "@/lib/tenants/schemas";
import { appHostLabelProblem, appHostname, maxAppNameLength, parseAppHostname } from "./app-host";

// Names as the schemas allow them: tenants 3–32 characters without "--", apps 1–40 ending in no dash.
const letters = "abcdefghijklmnopqrstuvwxyz";
const tenant = fc
  .tuple(fc.constantFrom(...letters), fc.stringMatching(/^[a-z0-9-]{0,30}$/), fc.constantFrom(...`${letters}0123456789`))
  .map(([a, mid, z]) => `${a}${mid}${z}`)
  .filter((t) => TenantName.safeParse(t).success);
const app = fc
  .tuple(fc.constantFrom(...letters), fc.stringMatching(/^[a-z0-9-]{0,38}$/), fc.constantFrom("", ...`${letters}0123456789`))
  .map(([a, mid, z]) => `${a}${mid}${z}`.replace(/-+$/, ""))
  .filter((a) => AppName.safeParse(a).success);

describe("app host names", () => {
  it("spells <app>--<tenant>.<domain>, one DNS label per app", () => {
    expect(appHostname("acme", "shop", "apps.example.com")).toBe("shop--acme.apps.example.com");
    expect(appHostname("acme", "my--shop", "localhost")).toBe("my--shop--acme.localhost");
    expect(parseAppHostname("my--shop--acme.localhost", "localhost")).toEqual({ tenant: "acme", app: "my--shop" });
  });

  it("reads back every app and tenant the schemas allow, and only them", () => {
    fc.assert(
      fc.property(tenant, app, (t, a) => {
        const host = appHostname(t, a, "apps.example.com");
        expect(parseAppHostname(host, "apps.example.com")).toEqual({ tenant: t, app: a });
        if (appHostLabelProblem(t, a) === null) expect(host.split(".")[0]!.length).toBeLessThanOrEqual(63);
        // Another app's name never reads back as this one.
        expect(parseAppHostname(`${a}x--${t}.apps.example.com`, "apps.example.com")).not.toEqual({ tenant: t, app: a });
      }),
    );
  });

  it("refuses names that do not fit one label, and xn-- labels; older such apps get the two-label form", () => {
    const longTenant = "t".repeat(32);
    expect(maxAppNameLength(longTenant)).toBe(29);
    expect(appHostLabelProblem(longTenant, "a".repeat(29))).toBeNull();
    expect(appHostLabelProblem(longTenant, "a".repeat(30))).toMatch(/at most 29 characters/);
    expect(appHostLabelProblem("acme", "xn")).toMatch(/xn--/);
    expect(appHostLabelProblem("acme", "xn--abc")).toMatch(/xn--/);
    expect(appHostLabelProblem("acme", "xnews")).toBeNull();
    const legacy = appHostname(longTenant, "a".repeat(40), "localhost");
    expect(legacy).toBe(`${"a".repeat(40)}.${longTenant}.localhost`);
    expect(parseAppHostname(legacy, "localhost")).toEqual({ tenant: longTenant, app: "a".repeat(40) });
  });

  it("names nothing for other host names", () => {
    for (const host of ["localhost", "shop.localhost", "--acme.localhost", "shop--.localhost", "shop---acme.localhost", "a.b.c.localhost", "shop--acme.localhost.evil", "shop--acme.example.com"]) {
      expect(parseAppHostname(host, "localhost"), host).toBeNull();
    }
  });
});

describe("app URLs from the environment", () => {
  it("takes the scheme and port of GATEWAY_PUBLIC_URL and the domain of GATEWAY_DOMAIN", () => {
    expect(appOrigin("acme", "shop", {})).toBe("http://shop--acme.localhost:3001");
    expect(appOrigin("acme", "shop", { GATEWAY_PUBLIC_URL: "http://127.0.0.1:4101" })).toBe("http://shop--acme.localhost:4101");
    expect(appOrigin("acme", "shop", { GATEWAY_PUBLIC_URL: "https://apps.example.com" })).toBe("https://shop--acme.apps.example.com");
    expect(appOrigin("acme", "shop", { GATEWAY_PUBLIC_URL: "https://gw.example.com/", GATEWAY_DOMAIN: "Apps.Example.NET" })).toBe("https://shop--acme.apps.example.net");
    expect(gatewayDomain({ GATEWAY_PUBLIC_URL: "http://[::1]:3001" })).toBe("localhost");
    expect(tenantGatewayUrl("acme", undefined, { GATEWAY_PUBLIC_URL: "https://apps.example.com" })).toBe("https://<app>--acme.apps.example.com");
  });
});
