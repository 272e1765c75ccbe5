// A signed-in user changes their password: the current one is checked (a session left open on a
// shared machine must not be enough), and every other session of the user ends, so whoever else
// holds one of them (a stolen cookie, a forgotten browser) is out. API tokens belong to the tenant
// and keep working.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { NewPassword } from "./credential-schemas";
import { hashPassword, verifyPassword } from "./passwords";
import { revokeUserSessions } from "./revoke-sessions";
import type { RevokedSessionsResponse } from "@/lib/api-shapes/account-shapes";

export const ChangePasswordInput = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200),
    newPassword: NewPassword,
  })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "The new password must differ from the current one", path: ["newPassword"] });

/** Attempts per user (wrong current passwords included) in a window: guessing through a session is as slow as signing in. */
export const CHANGE_PASSWORD_LIMIT = { limit: 10, windowSeconds: 15 * 60 };

export async function changePassword({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<RevokedSessionsResponse> {
  if (!actor.userId || !actor.sessionId) {
    throw new AppError("FORBIDDEN", "Change the password in the console while signed in (Settings), not with an API token.");
  }
  const { currentPassword, newPassword } = ChangePasswordInput.parse(input);
  await hitRateLimit(
    { key: `password-change:user:${actor.userId}`, ...CHANGE_PASSWORD_LIMIT, message: "Too many attempts to change the password. Wait {retry} and try again." },
    now,
  );
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: { id: true, email: true, passwordHash: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to the console again.");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("UNPROCESSABLE", "currentPassword: That is not your current password.", { field: "currentPassword" });
  }
  if (newPassword.toLowerCase() === user.email) throw new AppError("UNPROCESSABLE", "newPassword: Password must not be your email", { field: "newPassword" });
  await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } });
  const revokedSessions = await revokeUserSessions({ userId: user.id, exceptSessionId: actor.sessionId });
  await recordAuditEvent({ actor, action: "auth.password_changed", target: `user:${user.email}`, detail: { endedSessions: revokedSessions } });
  return { revokedSessions };
}
