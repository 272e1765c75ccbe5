// Where users reach their apps. Each app is its own origin, `<scheme>://<app>--<tenant>.<domain>[:port]`
// (lib/app-host.ts): the scheme and port are GATEWAY_PUBLIC_URL's, the domain GATEWAY_DOMAIN.
// `npm start` sets GATEWAY_PUBLIC_URL to the gateway it starts; without GATEWAY_DOMAIN, apps are
// under `localhost`, which Chromium, Firefox and curl resolve to this machine for any `x.localhost`.
import { appHostname } from "@/lib/app-host";

type Env = Record<string, string | undefined>;

/** The gateway's public address (GATEWAY_PUBLIC_URL), without a trailing slash. */
export function gatewayBaseUrl(env: Env): string {
  return (env.GATEWAY_PUBLIC_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 3001}`).replace(/\/$/, "");
}

/**
 * The domain apps answer under: GATEWAY_DOMAIN; else the host name of GATEWAY_PUBLIC_URL when it is
 * a name (`https://apps.example.com` → `apps.example.com`); else `localhost` (an IP address has no
 * subdomains). The gateway and the console must agree: give them the same environment.
 */
export function gatewayDomain(env: Env): string {
  const configured = env.GATEWAY_DOMAIN?.trim().replace(/^\.+|\.+$/g, "").toLowerCase();
  if (configured) return configured;
  const host = new URL(gatewayBaseUrl(env)).hostname.toLowerCase();
  // An IPv4 address (the URL parser has normalised it to four numbers) or an IPv6 literal.
  return host === "" || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[") ? "localhost" : host;
}

/** `scheme://<app>--<tenant>.<domain>[:port]`: the origin of one app, no trailing slash. */
export function appOrigin(tenantName: string, appName: string, env: Env): string {
  const base = new URL(gatewayBaseUrl(env));
  const port = base.port ? `:${base.port}` : "";
  return `${base.protocol}//${appHostname(tenantName, appName, gatewayDomain(env))}${port}`;
}

/** An app's URL (its origin), or with the `<app>` placeholder the pattern of a tenant's app URLs. */
export function tenantGatewayUrl(tenantName: string, appName = "<app>", env: Env): string {
  if (appName === "<app>") {
    const base = new URL(gatewayBaseUrl(env));
    return `${base.protocol}//<app>--${tenantName}.${gatewayDomain(env)}${base.port ? `:${base.port}` : ""}`;
  }
  return appOrigin(tenantName, appName, env);
}

/**
 * Where the console itself connects to reach a gateway (GATEWAY_INTERNAL_URL, else GATEWAY_PUBLIC_URL);
 * it names the app by the Host header it sends, never by this address.
 */
export function gatewayInternalUrl(env: Env): string {
  return (env.GATEWAY_INTERNAL_URL ?? gatewayBaseUrl(env)).replace(/\/$/, "");
}
