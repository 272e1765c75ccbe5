// Reads one process's settings from its environment in one go: every problem is collected and
// reported together, one line per variable, naming the value it got. Each process kind reads its
// settings once as it starts (console-config.ts, gateway-config.ts, cli/config.ts).
import type { z } from "zod";

type Env = Record<string, string | undefined>;

/** Some setting of this process is unusable; the message has one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/**
 * Settings that belong together and have their own parser with its own message (the sign-up
 * limit, the limit ceilings, the price plan): `names` are the variables it reads.
 */
export interface SettingGroup<T> {
  names: readonly string[];
  read: (env: Env) => T;
}

type GroupValues<G> = { [K in keyof G]: G[K] extends SettingGroup<infer T> ? T : never };

/**
 * `schema`'s settings as read from `env`, or a ConfigError. Each of `groups` runs on the same
 * environment and adds its message when it throws.
 */
export function parseSettings<S extends z.ZodObject, G extends Record<string, SettingGroup<unknown>>>(
  schema: S,
  env: Env,
  groups: G = {} as G,
): z.output<S> & GroupValues<G> {
  const problems: string[] = [];
  const picked: Env = {};
  for (const name of Object.keys(schema.shape)) picked[name] = env[name];
  // Parsed once per process: zod's fast path for an object (code it generates and compiles on the
  // first parse) would cost ≈ 6 ms of a process's start here, for nothing.
  const parsed = schema.safeParse(picked, { jitless: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      problems.push(`${name} ${issue.message}, got ${JSON.stringify(env[name] ?? "")}`);
    }
  }
  const grouped: Record<string, unknown> = {};
  for (const [key, group] of Object.entries(groups)) {
    try {
      grouped[key] = group.read(env);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...(parsed.data as z.output<S>), ...grouped } as z.output<S> & GroupValues<G>;
}

/** The variables a schema and its groups read (README's settings table lists each). */
export function settingNames(schema: z.ZodObject, groups: Record<string, SettingGroup<unknown>> = {}): string[] {
  return [...Object.keys(schema.shape), ...Object.values(groups).flatMap((g) => g.names)];
}

/**
 * A process's settings, parsed on first use and then kept: the environment of a running server
 * does not change. Tests that change a variable in process.env get it parsed again (the cache is
 * keyed by the values of the variables the settings read), so no test needs a reset hook.
 */
export function readOnce<T>(names: readonly string[], parse: (env: Env) => T): () => T {
  let cached: { key: string; value: T } | undefined;
  return () => {
    const key = names.map((name) => process.env[name] ?? "\u0000").join("\u0001");
    if (cached?.key !== key) cached = { key, value: parse(process.env) };
    return cached.value;
  };
}
