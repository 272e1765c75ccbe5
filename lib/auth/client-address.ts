/**
 * The client's address from X-Forwarded-For: scripts/console-server.mjs puts the one it trusts
 * (the socket's, or what the nearest of TRUSTED_PROXIES appended) alone in that header before
 * Next sees the request, so the first entry is the answer.
 */
export function clientAddressOf(forwardedFor: string | string[] | null | undefined): string {
  const value = Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor;
  return value?.split(",")[0]?.trim() || "local";
}
