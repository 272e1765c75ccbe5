// Every app is its own browser origin: it answers at one host name of its own under the
// gateway's domain, `<app>--<tenant>.<domain>`. A path is no browser boundary (cookies, storage,
// service workers and same-origin reads all span every path of an origin), so apps that shared
// `gateway/<tenant>/<app>` could read each other's responses with the visitor's cookies.
//
// One DNS label per app (not `<app>.<tenant>.<domain>`) so that one wildcard certificate,
// `*.<domain>`, covers every app of every tenant. The label is unambiguous: tenant names never
// contain "--" and never start with "-", app names never end with "-" (lib/tenants/schemas.ts,
// lib/manifest/manifest-schema.ts), so the last "--" of a label separates the two.
// Pure code: the gateway, the console and the CLI-facing API views all spell it from here.

export const APP_HOST_SEPARATOR = "--";
/** RFC 1035: a DNS label has at most 63 octets. */
export const MAX_DNS_LABEL = 63;

/** What the gateway accepts as an app or tenant name in a host name or path (a DNS label's letters). */
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The longest app name that still fits one label with this tenant:
 * 63 − 2 (the separator) − the tenant name's length (29 for the longest tenant names, 32 characters).
 */
export function maxAppNameLength(tenant: string): number {
  return MAX_DNS_LABEL - APP_HOST_SEPARATOR.length - tenant.length;
}

/**
 * Why `<app>--<tenant>` cannot be one host label, or null when it can. Too long, or starting with
 * "xn--", which browsers read as an IDNA (punycode) label and refuse or turn into another name.
 */
export function appHostLabelProblem(tenant: string, app: string): string | null {
  const label = `${app}${APP_HOST_SEPARATOR}${tenant}`;
  if (label.length > MAX_DNS_LABEL) {
    return (
      `With the tenant name "${tenant}" an app name can have at most ${maxAppNameLength(tenant)} characters: ` +
      `the app answers at its own host name, <app>--${tenant}, which must fit in one DNS label (63 characters). Choose a shorter name.`
    );
  }
  if (label.startsWith("xn--")) {
    return 'An app name cannot be "xn" or start with "xn--": browsers read such host names as internationalized (punycode) names. Choose another name.';
  }
  return null;
}

/**
 * The host name of an app under `domain`: `<app>--<tenant>.<domain>`, or, for an app whose name
 * is too long for that (only apps created before names were checked against it), the two-label
 * fallback `<app>.<tenant>.<domain>` (docs/operations.md, "App host names").
 */
export function appHostname(tenant: string, app: string, domain: string): string {
  if (appHostLabelProblem(tenant, app) === null) return `${app}${APP_HOST_SEPARATOR}${tenant}.${domain}`;
  return `${app}.${tenant}.${domain}`;
}

/** The tenant and app a host name under `domain` names, or null. `hostname` without port, lower case. */
export function parseAppHostname(hostname: string, domain: string): { tenant: string; app: string } | null {
  const suffix = `.${domain.toLowerCase()}`;
  if (!hostname.endsWith(suffix)) return null;
  const labels = hostname.slice(0, -suffix.length).split(".");
  if (labels.length === 1) {
    const label = labels[0]!;
    const at = label.lastIndexOf(APP_HOST_SEPARATOR);
    if (at <= 0) return null;
    const app = label.slice(0, at);
    const tenant = label.slice(at + APP_HOST_SEPARATOR.length);
    return NAME.test(app) && NAME.test(tenant) ? { tenant, app } : null;
  }
  // The two-label form: still answered (links made before, and apps too long for one label).
  if (labels.length === 2 && NAME.test(labels[0]!) && NAME.test(labels[1]!)) return { app: labels[0]!, tenant: labels[1]! };
  return null;
}

/** A tenant or app name as the path form `/<tenant>/<app>/` accepts it. */
export function isRoutableName(name: string): boolean {
  return NAME.test(name);
}
