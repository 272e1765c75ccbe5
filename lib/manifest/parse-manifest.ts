import { AppError } from "@/lib/errors";
import { Manifest } from "./manifest-schema";
import { ManifestTextError, readManifestYaml } from "./manifest-limits";

/**
 * Parses wasmcompute.yaml text; errors name the line or the field, e.g. `routes[1].path: …`.
 * Past MANIFEST_LIMITS: 413 for the file's size, 422 for the counts (manifest-limits.ts).
 */
export function parseManifest(text: string): Manifest {
  let value: unknown;
  try {
    value = readManifestYaml(text) ?? {};
  } catch (e) {
    if (!(e instanceof ManifestTextError)) throw e;
    const line = e.line ? ` (line ${e.line})` : "";
    if (e.kind === "too-large") throw new AppError("PAYLOAD_TOO_LARGE", e.message, { field: "manifest" });
    if (e.kind === "limit") throw new AppError("UNPROCESSABLE", `wasmcompute.yaml: ${e.message}${line}`, { field: "manifest" });
    throw new AppError("UNPROCESSABLE", `wasmcompute.yaml is not valid YAML${line}: ${e.message}`, { field: "manifest" });
  }
  const parsed = Manifest.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A bad record key (env) carries the reason in a nested issue; zod's own text is generic.
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    throw new AppError("UNPROCESSABLE", `wasmcompute.yaml: ${formatPath(issue.path)}${message}`, { field: "manifest" });
  }
  return parsed.data;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return "";
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return `${out}: `;
}
