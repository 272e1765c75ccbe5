import { z } from "zod";

const RESERVED_TENANT_NAMES = new Set([
  "admin", "api", "app", "apps", "auth", "console", "dashboard", "docs", "gateway", "healthz", "readyz",
  "login", "logout", "settings", "sign-in", "sign-up", "static", "status", "support", "system", "www", "wasmcompute",
]);

const COMMON_PASSWORDS = new Set([
  "password123", "password1234", "1234567890", "qwertyuiop", "123456789a", "iloveyou123", "letmein123", "welcome123",
  "administrator", "passw0rd123",
]);

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address, like you@example.com" }).max(254, "Email is too long"));

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

export const NewPassword = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Password must mix letters with digits or symbols")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "That password is too common; choose another");

export const SignUpInput = z
  .object({ email: Email, password: NewPassword, tenant: TenantName })
  .refine((v) => v.password.toLowerCase() !== v.email, { message: "Password must not be your email", path: ["password"] });
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1, "Enter your password").max(200),
});
export type SignInInput = z.infer<typeof SignInInput>;
