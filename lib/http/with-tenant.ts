// The one wrapper for tenant API routes: resolve the actor from the session cookie or a bearer
// token, enforce the token's scope, refuse cross-site state changes made with the cookie, rate
// limit token use, then run the handler with errors mapped to JSON.
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { allows, type Actor, type TokenScope } from "@/lib/auth/actor";
import { getSessionUser } from "@/lib/auth/session";
import { authenticateToken } from "@/lib/tokens/tokens";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import { clientAddress, handle } from "./route";
import { fromOwnOrigin } from "./same-origin";

type Params = Record<string, string | string[]>;
type Handler<P extends Params> = (args: { req: Request; actor: Actor; params: P }) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function withTenant<P extends Params = Params>(scope: TokenScope, handler: Handler<P>) {
  return handle(async (req: Request, ctx: { params: Promise<P> }) => {
    const actor = { ...(await resolveActor(req)), ip: clientAddress(req) };
    if (!allows(actor, scope)) {
      throw new AppError("FORBIDDEN", `This token has the "${actor.scope}" scope; this action needs "${scope}". Create a token with that scope.`);
    }
    return handler({ req, actor, params: await ctx.params });
  });
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
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to the console, or send an API token as `Authorization: Bearer wc_…`.");
  if (!SAFE_METHODS.has(req.method) && !fromOwnOrigin(req)) {
    throw new AppError("FORBIDDEN", "Cross-site request refused: state-changing requests with the session cookie must come from the console itself.");
  }
  return { tenantId: user.tenantId, tenantName: user.tenantName, userId: user.userId, sessionId: user.sessionId, scope: "admin" };
}

export const noContent = () => new NextResponse(null, { status: 204 });
