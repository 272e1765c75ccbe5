import { z } from "zod";
import { Email, NewPassword } from "@/lib/auth/credential-schemas";

const RESERVED_TENANT_NAMES = new Set([
  "admin", "api", "app", "apps", "auth", "console", "dashboard", "docs", "gateway", "healthz", "readyz",
  "login", "logout", "settings", "sign-in", "sign-up", "static", "status", "support", "system", "www", "wasmcompute",
]);

export const TenantName = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Tenant name must be at least 3 characters")
  .max(32, "Tenant name must be at most 32 characters")
  .regex(
    /^[a-z][a-z0-9-]*[a-z0-9]$/,
    "Tenant name may use lowercase letters, digits and dashes, must start with a letter and not end with a dash",
  )
  .refine((name) => !name.includes("--"), "Tenant name cannot contain two dashes in a row")
  .refine((name) => !RESERVED_TENANT_NAMES.has(name), "That tenant name is reserved; choose another");

export const SignUpInput = z
  .object({ email: Email, password: NewPassword, tenant: TenantName })
  .refine((v) => v.password.toLowerCase() !== v.email, { message: "Password must not be your email", path: ["password"] });
export type SignUpInput = z.infer<typeof SignUpInput>;
