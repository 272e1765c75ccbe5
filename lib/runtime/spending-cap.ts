// The gateway's side of a tenant's spending cap: the check it asks before running a guest, and
// the 402 answer it sends when the month's bill has reached a hard cap. Where the figures come
// from (a per-tenant month-to-date cost cache) is lib/billing/spending-cap-cache.ts.
import type http from "node:http";
import type { SpendingCapRefusal } from "../deployment-record/ports";

const money = (x: number, currency: string) => x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function spendingCapMessage(r: SpendingCapRefusal): string {
  return (
    `Tenant "${r.tenant}" has reached its monthly spending cap of ${money(r.cap, r.currency)} ` +
    `(spent ${money(r.spent, r.currency)} in ${r.month}), so its apps are paused and this request was not run or billed. ` +
    `An admin of the tenant can raise or remove the cap on the console's Usage & billing page (or PUT /api/v1/billing/cap), ` +
    `or switch it to alert-only; otherwise apps resume at ${r.resetsAt} when the month ends.`
  );
}

function wantsJson(req: http.IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? "");
  // curl and browsers send */* or text/html: JSON only for clients that ask for it.
  return /application\/(?:[\w.+-]*\+)?json/i.test(accept);
}

/** Sends the 402 answer (JSON for clients that accept JSON, plain text otherwise); returns the status. */
export function writeSpendingCapReached(req: http.IncomingMessage, res: http.ServerResponse, r: SpendingCapRefusal): number {
  const message = spendingCapMessage(r);
  const json = wantsJson(req);
  const body = json
    ? JSON.stringify({
        error: { code: "spending-cap-reached", message },
        spendingCap: { tenant: r.tenant, cap: r.cap, spent: Math.round(r.spent * 1e6) / 1e6, currency: r.currency, month: r.month, resetsAt: r.resetsAt },
      })
    : `402 Payment Required\n\n${message}\n`;
  res.writeHead(402, {
    "content-type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
  return 402;
}
