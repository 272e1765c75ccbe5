// API tokens: random secrets shown once, stored as SHA-256 (they carry 256 bits of entropy, so a
// slow hash adds nothing), scoped, revocable, with their last use recorded.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { TokenView } from "@/lib/api-shapes/token-shapes";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { TOKEN_SCOPES, allows, narrowerScope, type Actor } from "@/lib/auth/actor";
import { ROLE_SCOPE, isRole } from "@/lib/auth/roles";
import { sha256Hex } from "@/lib/blobs/blob-store";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";

export const TOKEN_PREFIX = "wc_";
export const MAX_EXPIRY_DAYS = 3650;
const DAY_MS = 86_400_000;

export const CreateTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name, e.g. the machine or script that uses it").max(60).refine(noNul, NUL_MESSAGE),
  scope: z.enum(TOKEN_SCOPES).default("deploy"),
  /** Omitted: the token never expires. */
  expiresInDays: z
    .number({ error: "Give the expiry as a whole number of days, or leave it empty for a token that never expires" })
    .int("Give the expiry as a whole number of days")
    .min(1, "A token must live at least 1 day")
    .max(MAX_EXPIRY_DAYS, `A token can live at most ${MAX_EXPIRY_DAYS} days; leave the expiry empty for one that never expires`)
    .optional(),
});

export type { TokenView } from "@/lib/api-shapes/token-shapes";

const toView = (t: { id: string; name: string; scope: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; expiresAt: Date | null }): TokenView => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});

export async function createToken({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<{ token: TokenView; secret: string }> {
  const { name, scope, expiresInDays } = CreateTokenInput.parse(input);
  // A token carries its creator's rights or fewer: never more than the role (or token) making it.
  if (!allows(actor, scope)) {
    throw new AppError("FORBIDDEN", `You act with the "${actor.scope}" scope${actor.role ? ` (role ${actor.role})` : ""}; a token cannot have more than that. Choose the "${actor.scope}" scope or a narrower one.`, { field: "scope" });
  }
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = expiresInDays === undefined ? null : new Date(now.getTime() + expiresInDays * DAY_MS);
  const row = await db().apiToken.create({
    data: { tenantId: actor.tenantId, createdById: actor.userId ?? null, name, scope, prefix: secret.slice(0, 10), tokenHash: sha256Hex(secret), expiresAt },
  });
  await recordAuditEvent({ actor, action: "token.created", target: `token:${row.prefix}`, detail: { name, scope, expiresAt: expiresAt?.toISOString() ?? null } });
  return { token: toView(row), secret };
}

export async function findTokens({ actor }: { actor: Actor }): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({ where: { tenantId: actor.tenantId }, orderBy: { createdAt: "desc" } });
  return rows.map(toView);
}

export async function revokeToken({ actor, id }: { actor: Actor; id: string }): Promise<void> {
  const parsed = z.uuid().safeParse(id);
  const { count } = parsed.success
    ? await db().apiToken.updateMany({ where: { id: parsed.data, tenantId: actor.tenantId, revokedAt: null }, data: { revokedAt: new Date() } })
    : { count: 0 };
  if (count === 0) throw new AppError("NOT_FOUND", "Token not found (or already revoked).");
  const revoked = await db().apiToken.findUnique({ where: { id }, select: { prefix: true, name: true } });
  await recordAuditEvent({ actor, action: "token.revoked", target: `token:${revoked?.prefix ?? id}`, detail: { name: revoked?.name ?? null } });
}

const LAST_USED_PRECISION_MS = 60_000;

/**
 * The actor behind a bearer token, or null when it is unknown or revoked. An expired token is an
 * UNAUTHORIZED that says so: the holder knows the secret, so naming the cause leaks nothing and
 * spares them wondering whether it was revoked.
 */
export async function authenticateToken(secret: string, at: Date = new Date()): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return null;
  const row = await db().apiToken.findUnique({ where: { tokenHash: sha256Hex(secret) }, include: { tenant: true } });
  if (!row || row.revokedAt) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= at.getTime()) {
    throw new AppError("UNAUTHORIZED", `This API token (${row.prefix}…) expired on ${row.expiresAt.toISOString()}. Create a new one on the console's API tokens page.`);
  }
  const now = at.getTime();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const scope = row.scope as Actor["scope"];
  if (!row.createdById) return { tenantId: row.tenantId, tenantName: row.tenant.name, scope, tokenId: row.id, tokenPrefix: row.prefix };
  // The creator's role as it is now: a token of a member who left stops; a lowered role narrows it.
  const member = await db().membership.findUnique({ where: { tenantId_userId: { tenantId: row.tenantId, userId: row.createdById } }, select: { role: true } });
  if (!member || !isRole(member.role)) {
    throw new AppError("UNAUTHORIZED", `This API token (${row.prefix}…) was made by someone who is no longer a member of the tenant "${row.tenant.name}". Ask a member for a token of their own.`);
  }
  return { tenantId: row.tenantId, tenantName: row.tenant.name, scope: narrowerScope(scope, ROLE_SCOPE[member.role]), role: member.role, userId: row.createdById, tokenId: row.id, tokenPrefix: row.prefix };
}
