/**
 * `allowed_hosts` of wasmcompute.yaml (docs/manifest.md#allowed_hosts), spelled as in WAGI and
 * Spin: `https://api.example.com`, `http://host:port`, or `*` (any host, only where the operator
 * permits it with GATEWAY_OUTBOUND_ANY=on). Deny by default: an app without the list calls nothing.
 * An entry allows its scheme, host and port (the scheme's default when none is written), any path.
 * Pure (no node:*): the manifest schema, the gateway and the console share it.
 */

export const ALLOW_ANY_HOST = "*";

/** Most entries an app may list. */
export const MAX_ALLOWED_HOSTS = 32;

export interface AllowedOrigin {
  scheme: "http" | "https";
  /** Lowercase host name or IP literal (IPv6 in brackets, as URL.hostname gives it). */
  host: string;
  port: number;
}

/** Why an entry is not one: a sentence for the manifest error; null when it is valid. */
export function allowedHostProblem(entry: string): string | null {
  if (entry === ALLOW_ANY_HOST) return null;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not a URL: write it as https://api.example.com or http://host:port`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `"${entry}" must start with http:// or https://`;
  if (url.username || url.password) return `"${entry}" must not carry a user name or password`;
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) return `"${entry}" must name only a scheme, a host and a port (no path or query)`;
  if (url.hostname.includes("*")) return `"${entry}": wildcards in host names are not supported; list each host, or "*" alone`;
  return null;
}

export function parseAllowedOrigin(entry: string): AllowedOrigin | null {
  if (entry === ALLOW_ANY_HOST || allowedHostProblem(entry) !== null) return null;
  const url = new URL(entry);
  return { scheme: url.protocol === "https:" ? "https" : "http", host: url.hostname.toLowerCase(), port: effectivePort(url) };
}

export function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** The app's list, ready to match against (entries that do not parse are dropped: publish refused them). */
export interface AllowedHosts {
  any: boolean;
  origins: AllowedOrigin[];
}

export function compileAllowedHosts(entries: readonly string[] | undefined): AllowedHosts {
  const list = entries ?? [];
  return {
    any: list.includes(ALLOW_ANY_HOST),
    origins: list.map(parseAllowedOrigin).filter((o): o is AllowedOrigin => o !== null),
  };
}

/** Whether `url` (already parsed, http or https) is on the list. */
export function isListed(url: URL, allowed: AllowedHosts): boolean {
  if (allowed.any) return true;
  const scheme = url.protocol === "https:" ? "https" : "http";
  const host = url.hostname.toLowerCase();
  const port = effectivePort(url);
  return allowed.origins.some((o) => o.scheme === scheme && o.host === host && o.port === port);
}
