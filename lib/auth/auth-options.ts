// next-auth configuration: email + password credentials, stateless JWT sessions signed with
// NEXTAUTH_SECRET (npm start keeps a generated one in the data directory, so sessions survive
// restarts and are valid on every console process).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { clientAddressOf } from "@/lib/http/client-address";
import { verifyCredentials, type SessionUser } from "./verify-credentials";

const DEFAULT_MAX_AGE = 7 * 24 * 60 * 60;

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: Number(process.env.SESSION_MAX_AGE_SECONDS) || DEFAULT_MAX_AGE },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const address = clientAddressOf(req.headers?.["x-forwarded-for"]);
        try {
          const user = await verifyCredentials(credentials, address);
          return { id: user.userId, email: user.email, tenantId: user.tenantId, tenantName: user.tenantName };
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
        const u = user as unknown as { id: string; tenantId: string; tenantName: string };
        token.sub = u.id;
        token.tenantId = u.tenantId;
        token.tenantName = u.tenantName;
      }
      return token;
    },
    session({ session, token }) {
      const s = session as typeof session & { user: Partial<SessionUser> };
      s.user.userId = token.sub;
      s.user.tenantId = token.tenantId as string;
      s.user.tenantName = token.tenantName as string;
      return s;
    },
  },
};
