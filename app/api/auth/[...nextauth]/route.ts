import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/auth-options";
import { handle } from "@/lib/http/route";
import { readBodyBytes } from "@/lib/http/read-body";

const handler = NextAuth(authOptions);

/** The largest sign-in form or callback body next-auth is handed; it would read any size whole. */
const AUTH_BODY_MAX_BYTES = 64 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth reads the body whole (req.text()/req.json()): it gets it only once it is known to be
// within the limit, read as a stream (lib/http/read-body.ts); past it, a 413.
const POST = handle(async (req: Request, ctx: Context) => {
  const body = await readBodyBytes(req, AUTH_BODY_MAX_BYTES);
  return handler(new NextRequest(req.url, { method: req.method, headers: req.headers, body: body as Uint8Array<ArrayBuffer> }), ctx);
});

export { handler as GET, POST };
