import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { fromOtherOrigin } from "@/lib/http/same-origin";

const handler = NextAuth(authOptions);

// Login CSRF: next-auth's double-submit CSRF token does not stop a page that can set the console's
// cookies (any page on the console's host name: cookies ignore ports) from posting the attacker's
// credentials with a token pair of the attacker's, signing the visitor in as the attacker. Sign-in
// and sign-out posts made by another origin's page are refused before next-auth sees them.
async function POST(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  if (fromOtherOrigin(req)) {
    return NextResponse.json(
      { error: { code: "FORBIDDEN", message: "Cross-site request refused: sign in and out on the console's own pages." } },
      { status: 403 },
    );
  }
  return handler(req, ctx);
}

export { handler as GET, POST };
