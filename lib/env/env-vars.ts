// Shared by the env services: the row → view mapping and the seal binding of a variable.
import type { AppEnvVar } from "@/lib/db/generated/client";
import type { EnvVarView } from "./env-schemas";

export function toEnvVarView(row: Pick<AppEnvVar, "name" | "secret" | "value" | "updatedAt">): EnvVarView {
  const updatedAt = row.updatedAt.toISOString();
  // A secret's row holds its sealed value: it is not part of the view at all.
  return row.secret ? { name: row.name, secret: true, updatedAt } : { name: row.name, secret: false, value: row.value, updatedAt };
}

/** The audit log's name for a variable: "production/API_KEY" (never its value). */
export const envTarget = (appName: string, environment: string, name: string) => `app:${appName}/${environment}/${name}`;
