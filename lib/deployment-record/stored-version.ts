/**
 * zod schemas for what a publish stored and the gateway reads back (CONVENTIONS.md: JSON read
 * back goes through zod): the resolved manifest in `Version.manifest` and the routes a module's
 * WAGI `_routes` export printed. Lenient where the stored form may have grown (extra manifest keys
 * pass through) and strict where the gateway relies on a value.
 */
import { z } from "zod";
import { DEFAULT_ROUTE } from "../wasm/route-pattern";
import { AppLimits, DeploymentError } from "./record";

/** A route as stored: "/exact" or "/prefix/..." (lib/wasm/route-pattern.ts), and the export it calls. */
export const StoredRoute = z.object({ path: z.string().startsWith("/"), entrypoint: z.string().min(1) });
export type StoredRoute = z.infer<typeof StoredRoute>;

/** The parts of a version's resolved manifest (lib/manifest/manifest-schema.ts, defaults applied) that a gateway reads. */
export const StoredManifest = z.looseObject({
  routes: z.array(StoredRoute).default([{ ...DEFAULT_ROUTE }]),
  env: z.record(z.string(), z.string()).default({}),
  limits: AppLimits.partial().default({}),
  static: z.array(z.object({ path: z.string(), dir: z.string() })).default([]),
  schedules: z.array(z.object({ cron: z.string(), path: z.string(), method: z.string(), body: z.string().optional() })).default([]),
  /** Where the guest may call out (lib/outbound/allowed-hosts.ts); none before the key existed. */
  allowed_hosts: z.array(z.string()).default([]),
});
export type StoredManifest = z.infer<typeof StoredManifest>;

/** What a worker answers for a module's `_routes` run (lib/wasm parseWagiRoutes, as JSON). */
export const DiscoveredRoutes = z.array(StoredRoute);

/** `json` read back as `schema`; a DeploymentError naming `what` when it does not fit. */
export function readStored<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DeploymentError(`The ${what} cannot be read back: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
