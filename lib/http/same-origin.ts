// Whether a request was made by the console's own pages: the CSRF defence of everything that
// changes state on the strength of the session cookie. Browsers send Origin with every POST, PUT
// and DELETE (and Sec-Fetch-Site with every request), and a page cannot forge either.

/** The request's Origin (or, without one, Sec-Fetch-Site) says the console's own origin made it. */
export function fromOwnOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") === "same-origin";
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A browser request made by a page of another origin: another site, or another port or host
 * name of the same site (where an app on the gateway may run). A request that carries neither
 * Origin nor Sec-Fetch-Site was not made by a browser page (curl, a script, a test) and is not
 * a cross-site forgery; this is the check for next-auth's own sign-in and sign-out posts.
 */
export function fromOtherOrigin(req: Request): boolean {
  if (!req.headers.get("origin") && !req.headers.get("sec-fetch-site")) return false;
  return !fromOwnOrigin(req);
}
