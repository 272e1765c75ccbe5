// next-auth configuration: email + password credentials; the session cookie is a JWT signed and
// encrypted with NEXTAUTH_SECRET (npm start keeps a generated one in the data directory) that
// carries the id of a server-side session row, so that a session can end before the JWT expires
// (why, and what it costs: lib/auth/find-live-session.ts).
import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { clientAddressOf } from "@/lib/auth/client-address";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { consoleCookies } from "./console-cookies";
import { findLiveSession } from "./find-live-session";
import { revokeSession } from "./revoke-sessions";
import { safeCallbackPath } from "./safe-callback-path";
import { sessionMaxAgeSeconds, signInTenantId, startSession } from "./start-session";
import { verifyCredentials } from "./verify-credentials";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds() },
  // `__Host-` prefixed behind https, host-only, HttpOnly (lib/auth/console-cookies.ts).
  cookies: consoleCookies(),
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const address = clientAddressOf(req.headers?.["x-forwarded-for"]);
        try {
          const user = await verifyCredentials(credentials, address);
          // A new session for every sign-in: a cookie the browser had before (planted or not) never becomes this one.
          const userAgent = req.headers?.["user-agent"];
          const tenantId = await signInTenantId({ userId: user.userId, homeTenantId: user.tenantId });
          const sessionId = await startSession({ userId: user.userId, tenantId, ip: address, userAgent: typeof userAgent === "string" ? userAgent : null });
          return { id: user.userId, email: user.email, tenantId: user.tenantId, tenantName: user.tenantName, sessionId };
        } catch (e) {
          // next-auth passes the thrown message to the sign-in form; only ours are fit to show.
          if (e instanceof AppError) throw new Error(e.message);
          console.error("sign-in failed", e);
          throw new Error("Sign-in is unavailable right now. Try again in a moment.");
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as unknown as { id: string; tenantId: string; tenantName: string; sessionId: string };
        token.sub = u.id;
        token.sid = u.sessionId;
        token.tenantId = u.tenantId;
        token.tenantName = u.tenantName;
      }
      return token;
    },
    // Runs for every getServerSession (getSessionUser) and /api/auth/session: a JWT whose session
    // row is gone (signed out, revoked, expired) or that has none (made before sessions had rows)
    // is no session. An empty object is what next-auth answers for "not signed in".
    async session({ session, token }) {
      const live = await findLiveSession(token.sid);
      if (!live || live.userId !== token.sub) return {} as Session;
      const user = { email: live.email, userId: live.userId, tenantId: live.tenantId, tenantName: live.tenantName, role: live.role, tenants: live.tenants, sessionId: live.sessionId };
      return { ...session, user: { ...session.user, ...user } };
    },
    // Where next-auth sends the browser after signing in or out: a page of the console only.
    redirect({ url, baseUrl }) {
      return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
    },
  },
  events: {
    // next-auth has already decided to clear the cookie; this ends the session itself, so a copy
    // of the cookie elsewhere stops working too.
    async signOut({ token }) {
      const sessionId = token?.sid;
      if (typeof sessionId !== "string") return;
      const live = await findLiveSession(sessionId);
      await revokeSession({ sessionId });
      if (live) await recordAuditEvent({ actor: { tenantId: live.tenantId, userId: live.userId }, action: "auth.sign_out", target: `user:${live.email}` });
    },
  },
};
