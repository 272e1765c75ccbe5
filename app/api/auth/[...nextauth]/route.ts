import NextAuth from "next-auth";
import { NextRequest, NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { handle } from "@/lib/http/route";
import { readBodyBytes } from "@/lib/http/read-body";
import { fromOtherOrigin } from "@/lib/http/same-origin";

const handler = NextAuth(authOptions);

/** The largest sign-in form or callback body next-auth is handed; it would read any size whole. */
const AUTH_BODY_MAX_BYTES = 64 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

// Login CSRF: next-auth's double-submit CSRF token does not stop a page that can set the console's
// cookies (any page on the console's host name: cookies ignore ports) from posting the attacker's
// credentials with a token pair of the attacker's, signing the visitor in as the attacker. Sign-in
// and sign-out posts made by another origin's page are refused before next-auth sees them.
// next-auth reads the body whole (req.text()/req.json()): it gets it only once it is known to be
// within the limit, read as a stream (lib/http/read-body.ts); past it, a 413.
const POST = handle(async (req: Request, ctx: Context) => {
  if (fromOtherOrigin(req)) {
    return NextResponse.json(
      { error: { code: "FORBIDDEN", message: "Cross-site request refused: sign in and out on the console's own pages." } },
      { status: 403 },
    );
  }
  const body = await readBodyBytes(req, AUTH_BODY_MAX_BYTES);
  return handler(new NextRequest(req.url, { method: req.method, headers: req.headers, body: body as Uint8Array<ArrayBuffer> }), ctx);
});

export { handler as GET, POST };
