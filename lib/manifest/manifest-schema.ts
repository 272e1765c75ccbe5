// wasmcompute.yaml (docs/manifest.md): the schema users write, and its resolved form stored with
// each version.
import { z } from "zod";
import { AppLimits, MAX_APP_BODY_BYTES } from "@/lib/deployment-record/record";
import { DEFAULT_ROUTE } from "@/lib/wasm/route-pattern";
import { MANIFEST_LIMITS } from "./manifest-limits";
import { allowedHostProblem, MAX_ALLOWED_HOSTS } from "@/lib/outbound/allowed-hosts";
import { cronProblem } from "./cron";

export const AppName = z
  .string()
  .trim()
  .min(1, "App name is required")
  .max(40, "App name must be at most 40 characters")
  .regex(/^[a-z][a-z0-9-]*$/, "App name may use lowercase letters, digits and dashes, and must start with a letter")
  .refine((n) => !n.endsWith("-"), "App name must not end with a dash");

const RoutePath = z
  .string()
  .startsWith("/", 'must start with "/"')
  .max(200)
  .refine((p) => !/\s/.test(p), "must not contain spaces")
  .refine((p) => !p.startsWith("/v/"), 'must not start with "/v/", which the gateway keeps for explicit version routes');

const RelativePath = z
  .string()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the app folder (no leading / or ..)");

// WAGI/Spin spelling; deny by default (docs/manifest.md#allowed_hosts).
export const AllowedHost = z.string().superRefine((entry, ctx) => {
  const problem = allowedHostProblem(entry);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a valid environment variable name");

/**
 * A function run on a clock (docs/schedules.md): a request the gateway makes to the app itself.
 * The cron is checked for syntax here (5 fields, UTC, or 6 with seconds, which publish refuses
 * outside tests); publish holds it to the operator's minimum interval.
 */
export const ScheduleSpec = z
  .object({
    cron: z
      .string()
      .trim()
      .min(1, "is required")
      .max(120, "must be at most 120 characters")
      .superRefine((cron, ctx) => {
        const problem = cronProblem(cron, { allowSeconds: true });
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    path: RoutePath,
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"], 'must be GET, POST, PUT, PATCH or DELETE').default("POST"),
    body: z.string().max(64 * 1024, "must be at most 64 KiB").optional(),
  })
  .strict();
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

export const Manifest = z
  .object({
    name: AppName.optional(),
    module: RelativePath.optional(),
    routes: z
      .array(z.object({ path: RoutePath, entrypoint: z.string().min(1).max(200).default("_start") }).strict())
      .min(1, "needs at least one route")
      .max(MANIFEST_LIMITS.routes, `at most ${MANIFEST_LIMITS.routes} routes`)
      .default([{ ...DEFAULT_ROUTE }]),
    files: z.array(RelativePath).max(MANIFEST_LIMITS.files, `at most ${MANIFEST_LIMITS.files} entries`).default([]),
    static: z
      .array(z.object({ path: RoutePath, dir: RelativePath }).strict())
      .max(MANIFEST_LIMITS.static, `at most ${MANIFEST_LIMITS.static} static mounts`)
      .default([]),
    env: z
      .record(EnvName, z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .refine((env) => Object.keys(env).length <= MANIFEST_LIMITS.env, `at most ${MANIFEST_LIMITS.env} variables`)
      .default({}),
    limits: z
      .object({
        memoryMb: AppLimits.shape.memoryMb.optional(),
        timeoutMs: AppLimits.shape.timeoutMs.optional(),
        // The gateway holds a request body and a response in memory, hence a ceiling on both.
        maxRequestBytes: AppLimits.shape.maxRequestBytes.max(MAX_APP_BODY_BYTES, `at most ${MAX_APP_BODY_BYTES} (100 MiB)`).optional(),
        maxResponseBytes: AppLimits.shape.maxResponseBytes.max(MAX_APP_BODY_BYTES, `at most ${MAX_APP_BODY_BYTES} (100 MiB)`).optional(),
      })
      .strict()
      .default({}),
    allowed_hosts: z.array(AllowedHost).max(MAX_ALLOWED_HOSTS, `at most ${MAX_ALLOWED_HOSTS} hosts`).default([]),
    datastores: z
      .array(z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes"), schema: z.number().int().min(0).default(0) }).strict())
      .max(MANIFEST_LIMITS.datastores, `at most ${MANIFEST_LIMITS.datastores} datastores`)
      .default([]),
    schedules: z.array(ScheduleSpec).max(MANIFEST_LIMITS.schedules, `at most ${MANIFEST_LIMITS.schedules} schedules`).optional(),
  })
  .strict();

export type Manifest = z.infer<typeof Manifest>;
