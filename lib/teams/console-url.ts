// The console's public address for a link shown to users (an invitation): NEXTAUTH_URL when set
// (behind a proxy the request's own URL may be an internal one), else the request's origin.
import { consoleConfig } from "@/lib/config/console-config";

export function consoleUrlOf(req: Request, path: string): string {
  const base = consoleConfig().NEXTAUTH_URL ?? new URL(req.url).origin;
  return new URL(path, base).toString();
}
