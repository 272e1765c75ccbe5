// Console pages get a strict Content-Security-Policy with a fresh nonce per request. Next.js reads
// the nonce from the request's CSP header and puts it on its own scripts; 'strict-dynamic' lets
// those load the chunks they need, so no other script (an injected one included) runs.
import { NextResponse, type NextRequest } from "next/server";
import { REQUESTED_PATH_HEADER } from "./lib/auth/safe-callback-path";

export function contentSecurityPolicy(nonce: string, { secure, dev }: { secure: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': the IDE compiles and runs wasm in the browser. Dev mode needs eval for
    // React's debugging tools; production never gets it.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    // Monaco renders lines as HTML with style attributes and injects <style> elements; styles
    // cannot run code, so inline styles are allowed (a nonce here would switch that off).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    // Monaco's language workers and the IDE's compile/preview workers come from our bundle.
    "worker-src 'self' blob:",
    // The response preview is a sandboxed srcdoc iframe; nothing is framed from elsewhere.
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    ...(secure ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const secure = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https" || (process.env.NEXTAUTH_URL ?? "").startsWith("https:");
  const policy = contentSecurityPolicy(nonce, { secure, dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  // The deep link a signed-out visitor returns to after sign-in (lib/auth/session.ts); the router's
  // own `_rsc` cache-buster is no part of it.
  const requested = new URL(request.nextUrl.href);
  requested.searchParams.delete("_rsc");
  requestHeaders.set(REQUESTED_PATH_HEADER, `${requested.pathname}${requested.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages only: API answers are JSON, and static assets carry no document.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg|favicon.ico|preview-frame).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
