// What a person types to sign in or to choose a password (sign-up, change-password, tokens made
// with a password). Here, not in lib/tenants, because lib/auth's flows parse them and lib/tenants
// (sign-up) builds on lib/auth.
import { z } from "zod";

const COMMON_PASSWORDS = new Set([
  "password123", "password1234", "1234567890", "qwertyuiop", "123456789a", "iloveyou123", "letmein123", "welcome123",
  "administrator", "passw0rd123",
]);

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address, like you@example.com" }).max(254, "Email is too long"));

export const NewPassword = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters")
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Password must mix letters with digits or symbols")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "That password is too common; choose another");

export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1, "Enter your password").max(200),
});
export type SignInInput = z.infer<typeof SignInInput>;
