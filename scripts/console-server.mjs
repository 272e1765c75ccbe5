// The console's HTTP server: Next.js's own request handler behind a node:http server of ours, for
// one reason: the client address. `next start` passes on whatever X-Forwarded-For a client sends,
// so anyone could pick the address that sign-in, sign-up and token rate limits and the audit log
// see. Here the address comes from the socket, or, behind TRUSTED_PROXIES load balancers, from
// the entry the nearest of them appended; the console reads the first X-Forwarded-For entry.
//
//   node scripts/console-server.mjs -H 127.0.0.1 -p 3000
//   TRUSTED_PROXIES  proxies in front that append to X-Forwarded-For (default 0: none)
//
// Plain JavaScript, so that Next's own modules load without a TypeScript loader in the way.
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";

/**
 * The client as seen through `trustedProxies` proxies: each appended the address it got the
 * request from, so the socket is the nearest proxy and the entry `trustedProxies - 1` places from
 * the end of X-Forwarded-For is the client. With no proxies trusted, the socket is the client and
 * what the client wrote in the header counts for nothing.
 */
export function clientAddressOf(forwardedFor, socketAddress, trustedProxies) {
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  hops.push(socketAddress || "unknown");
  return hops[Math.max(0, hops.length - 1 - trustedProxies)];
}

async function main() {
  const { values } = parseArgs({ options: { hostname: { type: "string", short: "H", default: "127.0.0.1" }, port: { type: "string", short: "p", default: "3000" } } });
  // Needed before Next loads, and this file runs without a TypeScript loader: read here, by the rule
  // of lib/config/console-config.ts (which the console checks again with every other setting).
  const rawProxies = process.env.TRUSTED_PROXIES?.trim() || "0";
  if (!/^\d+$/.test(rawProxies)) {
    console.error(`[console] TRUSTED_PROXIES must be a whole number of proxies, got ${JSON.stringify(process.env.TRUSTED_PROXIES)}`);
    process.exit(1);
  }
  const trustedProxies = Number(rawProxies);
  const port = Number(values.port);
  // As `next start` does: this server only ever serves a production build.
  process.env.NODE_ENV ??= "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname: values.hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  let warned = false;
  const server = http.createServer((req, res) => {
    if (!warned && trustedProxies === 0 && req.headers["x-forwarded-for"]) {
      // Behind a proxy with TRUSTED_PROXIES=0 every client looks like the proxy: one address for all rate limits.
      warned = true;
      console.warn(
        "[console] a request came with X-Forwarded-For, but TRUSTED_PROXIES is 0, so it is ignored and clients are " +
          "known by the socket address. If a load balancer or TLS proxy is in front, set TRUSTED_PROXIES to how many.",
      );
    }
    req.headers["x-forwarded-for"] = clientAddressOf(req.headers["x-forwarded-for"], req.socket.remoteAddress, trustedProxies);
    delete req.headers["x-real-ip"];
    handle(req, res).catch((error) => {
      console.error("console request failed", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    });
  });
  server.listen(port, values.hostname, () => console.log(`console listening on http://${values.hostname}:${port}`));

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main();
