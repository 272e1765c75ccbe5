import { parseDocument } from "yaml";
import { AppError } from "@/lib/errors";
import { Manifest } from "./manifest-schema";

/** Parses wasmcompute.yaml text; errors name the line or the field, e.g. `routes[1].path: …`. */
export function parseManifest(text: string): Manifest {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    throw new AppError("UNPROCESSABLE", `wasmcompute.yaml is not valid YAML${line ? ` (line ${line})` : ""}: ${yamlError.message.split("\n")[0]}`, {
      field: "manifest",
    });
  }
  let value: unknown;
  try {
    // toJS resolves aliases: an unknown one, or an alias bomb (yaml's maxAliasCount), throws here.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError("UNPROCESSABLE", `wasmcompute.yaml is not valid YAML: ${reason.split("\n")[0]}`, { field: "manifest" });
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
