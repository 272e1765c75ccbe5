// Building blocks of the configuration schemas (console-config.ts, gateway-config.ts, cli/config.ts):
// one zod schema per kind of environment variable. An unset or blank variable takes its default;
// anything else must parse, and a failure says what the variable takes in words an operator can
// act on (`UPLOAD_MAX_BYTES must be a whole number of bytes, got "abc"`, see parse-settings.ts).
import { z } from "zod";

const blank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === "";

/** A whole number of `unit` in [min, max]; blank: `fallback` (a number, or undefined for "unset"). */
export function wholeNumber<D extends number | undefined = undefined>(
  unit: string,
  options: { min?: number; max?: number; fallback?: D; message?: string } = {},
) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | D => {
      if (blank(raw)) return options.fallback as D;
      const text = raw.trim();
      const value = Number(text);
      if (!/^\d+$/.test(text) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: options.message ?? `must be a whole number of ${unit}${rangeText(min, max)}` });
        return z.NEVER;
      }
      return value;
    });
}

/** A number (fractions allowed) of `unit`, at least `min`. */
export function decimalNumber(unit: string, options: { min?: number; fallback: number }) {
  const { min = 0 } = options;
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (blank(raw)) return options.fallback;
      const value = Number(raw.trim());
      if (!Number.isFinite(value) || value < min) {
        ctx.addIssue({ code: "custom", message: `must be a number of ${unit} (${min} or more)` });
        return z.NEVER;
      }
      return value;
    });
}

function rangeText(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return min > 0 ? ` (${min} or more)` : "";
  return ` from ${min} to ${max}`;
}

/** One of `choices`; blank: `fallback`. */
export function choice<const C extends readonly [string, ...string[]]>(choices: C, fallback: C[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): C[number] => {
      if (blank(raw)) return fallback;
      const text = raw.trim();
      if (!(choices as readonly string[]).includes(text)) {
        ctx.addIssue({ code: "custom", message: `must be ${choices.map((c) => `"${c}"`).join(" or ")}` });
        return z.NEVER;
      }
      return text as C[number];
    });
}

/** Free text (a path, a secret, a connection string); blank: undefined, or `fallback`. */
export function text<D extends string | undefined = undefined>(fallback?: D) {
  return z
    .string()
    .optional()
    .transform((raw): string | D => (blank(raw) ? (fallback as D) : raw));
}

/** An absolute http:// or https:// URL; blank: undefined. */
export function httpUrl() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (blank(raw)) return undefined;
      let url: URL | null = null;
      try {
        url = new URL(raw.trim());
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
        ctx.addIssue({ code: "custom", message: "must be an http:// or https:// URL such as https://example.com" });
        return z.NEVER;
      }
      return raw.trim();
    });
}

/** A DNS name (no scheme, port or path); blank: undefined. */
export function domainName() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): string | undefined => {
      if (blank(raw)) return undefined;
      if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(raw.trim())) {
        ctx.addIssue({ code: "custom", message: "must be a domain name such as apps.example.com (no scheme, no port, no path)" });
        return z.NEVER;
      }
      return raw.trim();
    });
}

/** A TCP port; blank: `fallback`. */
export const port = (fallback: number) => wholeNumber("", { min: 0, max: 65535, fallback, message: "must be a port number from 0 to 65535" });

/**
 * Host names, IP addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`), separated by commas or
 * spaces; blank: none. Checked for shape here; lib/outbound reads them (GATEWAY_OUTBOUND_ALLOW).
 */
export function hostList() {
  const name = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/;
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
  const ipv6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(\/\d{1,3})?$/;
  return z
    .string()
    .optional()
    .transform((raw, ctx): string[] => {
      if (blank(raw)) return [];
      const entries = raw.split(/[\s,]+/).filter(Boolean);
      const bad = entries.find((e) => !name.test(e) && !ipv4.test(e) && !ipv6.test(e));
      if (bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `must list host names, IP addresses or CIDR ranges such as 10.0.0.0/8, separated by commas; "${bad}" is none of these` });
        return z.NEVER;
      }
      return entries;
    });
}
