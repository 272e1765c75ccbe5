// The console's next-auth cookies. Behind https (NEXTAUTH_URL https://…) every one of them is
// `__Host-` prefixed: the browser accepts such a cookie only from the console's own host, Secure,
// for Path=/ and without a Domain, so no other host of the same site (an app on a sibling host
// name, `apps.example.com` beside `console.example.com`) can plant or overwrite one, and a cookie
// such a host sets for the whole site (Domain=example.com) is never read as the console's. Over
// plain http (local use) no prefix is possible (it requires Secure); there the defence is keeping
// apps on another site and the server-side session records (lib/auth/find-live-session.ts).
// All are HttpOnly and host-only (no Domain). The session cookie is SameSite=Lax so that following
// a link to the console from elsewhere arrives signed in (cookie-authenticated writes are checked
// for the console's Origin, lib/http/same-origin.ts); the CSRF and callback cookies are only used
// by the console's own requests, so they are Strict.
import { consoleConfig } from "@/lib/config/console-config";
import type { CookiesOptions } from "next-auth";

export const SESSION_COOKIE = "next-auth.session-token";

/** Whether the console's public URL is https: the switch for Secure, `__Host-` cookies. */
export function isSecureConsole(consoleUrl = consoleConfig().NEXTAUTH_URL): boolean {
  return (consoleUrl ?? "").toLowerCase().startsWith("https://");
}

/** The session cookie's name on this console: `__Host-next-auth.session-token` behind https. */
export function sessionCookieName(secure = isSecureConsole()): string {
  return `${secure ? "__Host-" : ""}${SESSION_COOKIE}`;
}

export function consoleCookies(secure = isSecureConsole()): Partial<CookiesOptions> {
  const prefix = secure ? "__Host-" : "";
  const options = (sameSite: "lax" | "strict") => ({ httpOnly: true, sameSite, path: "/", secure });
  return {
    sessionToken: { name: sessionCookieName(secure), options: options("lax") },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options: options("strict") },
    csrfToken: { name: `${prefix}next-auth.csrf-token`, options: options("strict") },
  };
}
