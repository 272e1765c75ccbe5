// The one wrapper for tenant API routes: resolve the actor from the session cookie or a bearer
// token, enforce the token's scope, refuse cross-site state changes made with the cookie, rate
// limit token use, then run the handler with errors mapped to JSON.
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { allows, type Actor } from "@/lib/auth/actor";
import { ROLES, ROLE_SCOPE, roleAllows, type AccessScope } from "@/lib/auth/roles";
import { getSessionUser, type SignedInUser } from "@/lib/auth/session";
import { authenticateToken } from "@/lib/tokens/tokens";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";
import { clientAddress, handle } from "./route";
import { fromOwnOrigin } from "./same-origin";

type Params = Record<string, string | string[]>;
type Handler<P extends Params> = (args: { req: Request; actor: Actor; params: P }) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface TenantRouteOptions {
  /** Query parameters where a NUL is something to look for (the logs search `q`), not refused. */
  nulAllowedIn?: readonly string[];
}

export function withTenant<P extends Params = Params>(scope: AccessScope, handler: Handler<P>, options: TenantRouteOptions = {}) {
  return handle(async (req: Request, ctx: { params: Promise<P> }) => {
    const actor = { ...(await resolveActor(req)), ip: clientAddress(req) };
    if (!allows(actor, scope)) throw new AppError("FORBIDDEN", refusal(actor, scope));
    const params = await ctx.params;
    refuseNulInUrl(req, params, options.nulAllowedIn ?? []);
    return handler({ req, actor, params });
  });
}

/** Why `actor` may not act where `scope` is needed, and what to do about it. */
function refusal(actor: Actor, scope: AccessScope): string {
  const roles = ROLES.filter((r) => roleAllows(r, scope)).join(" or ");
  if (actor.tokenId) return `This token has the "${actor.scope}" scope; this action needs "${scope}". Create a token with that scope (a member with the role ${roles} can).`;
  return `Your role in the tenant "${actor.tenantName}" is ${actor.role}; this action needs the role ${roles}. Ask an owner of the tenant for that role.`;
}

type UserHandler<P extends Params> = (args: { req: Request; user: SignedInUser; ip: string | null; params: P }) => Promise<Response>;

/**
 * For the routes about the signed-in person rather than the current tenant (accept an invitation,
 * list my tenants, switch tenant): a console session only, whatever their role in the current
 * tenant (one removed from it must still be able to switch). A token is bound to its tenant: 403.
 */
export function withSignedInUser<P extends Params = Params>(handler: UserHandler<P>) {
  return handle(async (req: Request, ctx: { params: Promise<P> }) => {
    if (req.headers.get("authorization")) {
      throw new AppError("FORBIDDEN", "An API token is bound to its tenant and cannot do this; sign in to the console (or `wasmcompute login --tenant NAME` for a token of another tenant).");
    }
    const user = await signedInUser(req);
    const params = await ctx.params;
    refuseNulInUrl(req, params, []);
    return handler({ req, user, ip: clientAddress(req), params });
  });
}

async function signedInUser(req: Request): Promise<SignedInUser> {
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to the console, or send an API token as `Authorization: Bearer wc_…`.");
  if (!SAFE_METHODS.has(req.method) && !fromOwnOrigin(req)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: state-changing requests with the session cookie must come from the console itself.");
  }
  return user;
}

/**
 * Names (apps, versions, keys…) and filters arrive in the path and the query string; none can
 * hold a NUL (lib/text/nul.ts): one is a 400 naming the parameter, not a 500 from the database.
 */
function refuseNulInUrl(req: Request, params: Params, nulAllowedIn: readonly string[]): void {
  // Routes without dynamic segments get no params at all.
  for (const [name, value] of Object.entries(params ?? {})) {
    if (!(Array.isArray(value) ? value : [value]).every(noNul)) throw new AppError("BAD_REQUEST", `${name}: ${NUL_MESSAGE}.`, { field: name });
  }
  for (const [name, value] of new URL(req.url).searchParams) {
    if (!noNul(name)) throw new AppError("BAD_REQUEST", `A query parameter's name ${NUL_MESSAGE}.`);
    if (!noNul(value) && !nulAllowedIn.includes(name)) throw new AppError("BAD_REQUEST", `${name}: ${NUL_MESSAGE}.`, { field: name });
  }
}

async function resolveActor(req: Request): Promise<Actor> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const [kind, secret] = authorization.split(" ", 2);
    const actor = kind?.toLowerCase() === "bearer" && secret ? await authenticateToken(secret.trim()) : null;
    if (!actor) throw new AppError("UNAUTHORIZED", "The API token is invalid or revoked. Create a new one on the console's API tokens page.");
    await hitRateLimit({ key: `token:${actor.tokenId}`, limit: 600, windowSeconds: 60, message: "This token made too many requests. Wait {retry} and try again." });
    return actor;
  }
  const user = await signedInUser(req);
  // Re-read with the session on every request (one cached query): a removed member is refused at once.
  if (!user.role) {
    const others = user.tenants.length ? ` Switch to another of your tenants: ${user.tenants.map((t) => t.tenantName).join(", ")}.` : "";
    throw new AppError("FORBIDDEN", `You are no longer a member of ${user.tenantName ? `the tenant "${user.tenantName}"` : "this tenant"}.${others}`);
  }
  return { tenantId: user.tenantId, tenantName: user.tenantName, userId: user.userId, sessionId: user.sessionId, role: user.role, scope: ROLE_SCOPE[user.role] };
}

export const noContent = () => new NextResponse(null, { status: 204 });
