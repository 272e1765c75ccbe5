import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Starts `server` on a free loopback port and answers its base URL (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
