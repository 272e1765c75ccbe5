// A tiny HTTP load balancer for tests: every request (not every connection, unlike node:cluster)
// goes to the next upstream in turn. It keeps the Host header and appends X-Forwarded-For, as
// nginx or a cloud load balancer would, streams bodies both ways, and tags each answer with
// `x-upstream: <index>` so a test can tell which process served it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  url: string;
  /** Upstream base URLs ("http://127.0.0.1:3000"); may be filled in after the proxy has started. */
  upstreams: string[];
  /** Requests answered by each upstream, by index. */
  servedBy: number[];
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection and are not forwarded (RFC 9110 section 7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

export async function startRoundRobinProxy(upstreams: string[] = []): Promise<RoundRobinProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const servedBy: number[] = [];
  let next = 0;

  const server = http.createServer((req, res) => {
    if (upstreams.length === 0) {
      res.writeHead(503, { "content-type": "text/plain" }).end("no upstreams yet\n");
      return;
    }
    const index = next++ % upstreams.length;
    const target = new URL(req.url ?? "/", upstreams[index]);
    const forwardedFor = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = http.request(target, { method: req.method, headers: { ...endToEnd(req.headers), "x-forwarded-for": forwardedFor }, agent }, (answer) => {
      while (servedBy.length < upstreams.length) servedBy.push(0);
      servedBy[index]! += 1;
      res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), "x-upstream": String(index) });
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (res.headersSent) return void res.destroy(error);
      res.writeHead(502, { "content-type": "text/plain", "x-upstream": String(index) }).end(`upstream ${index} failed: ${error.message}\n`);
    });
    // A client that goes away takes its upstream request with it (an SSE tail, an aborted upload).
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upstreams,
    servedBy,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
