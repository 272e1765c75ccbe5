// Where the console may send a browser after sign-in (the sign-in page's callbackUrl, next-auth's
// redirect callback): a page of the console itself, never another site. Isomorphic: the sign-in
// page checks on the server and the sign-in form again in the browser.

export const AFTER_SIGN_IN = "/dashboard";

/** The page a request asked for (path and query), set by proxy.ts: a page behind sign-in sends it to the sign-in page as callbackUrl. */
export const REQUESTED_PATH_HEADER = "x-requested-path";

/** Stands in for the console's origin when the caller does not know it: only paths are kept then. */
const SOME_ORIGIN = "http://console.invalid";

/**
 * `value` as a path of the console (`/dashboard/tokens?x=1#y`), or AFTER_SIGN_IN when it is not
 * one. Accepted: an absolute path, or an absolute URL of `consoleOrigin`. Refused: anything with a
 * backslash or a control character (browsers read `/\evil` as `//evil` and drop the tab of
 * `/<TAB>/evil`: another host), scheme-relative `//host`, other origins and schemes, and a path that
 * normalises to `//…` (`/.//evil`), which a browser would again read as a host.
 */
export function safeCallbackPath(value: unknown, consoleOrigin?: string | null): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return AFTER_SIGN_IN;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return AFTER_SIGN_IN;
  let own: string;
  try {
    own = new URL(consoleOrigin || SOME_ORIGIN).origin;
  } catch {
    own = SOME_ORIGIN;
  }
  // A URL with a scheme must spell the console's origin out ("http:evil" is relative to an http page).
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(value);
  if (absolute ? !(value === own || /^[/?#]/.test(value.slice(own.length)) && value.startsWith(own)) : !value.startsWith("/")) return AFTER_SIGN_IN;
  if (value.startsWith("//")) return AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(value, `${own}/`);
  } catch {
    return AFTER_SIGN_IN;
  }
  if (url.origin !== own || (url.protocol !== "http:" && url.protocol !== "https:")) return AFTER_SIGN_IN;
  if (url.pathname.startsWith("//")) return AFTER_SIGN_IN;
  return `${url.pathname}${url.search}${url.hash}`;
}
