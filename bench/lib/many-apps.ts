/** What bench/many-apps.ts (a folder of apps) and bench/many-apps-database.ts (apps in the database) share. */
import http from "node:http";
import { percentile } from "./load";

/** The module with a custom section appended: same behaviour, different bytes (a hash of its own). */
export function withCustomSection(module: Uint8Array, name: string): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 127) throw new Error("name too long for a one-byte LEB128 length");
  const payload = [nameBytes.length, ...nameBytes];
  if (payload.length > 127) throw new Error("section too long for a one-byte LEB128 size");
  return new Uint8Array([...module, 0, payload.length, ...payload]);
}

export const appName = (i: number) => `app-${String(i).padStart(5, "0")}`;

export const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

/** p-th percentile of unsorted samples. */
export const pct = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q);

/**
 * GETs over one keep-alive connection, one at a time, each resolving to its time in ms; anything
 * but a 200 rejects, naming the path.
 */
export function sequentialGetter(baseUrl: string): { get(urlPath: string): Promise<number>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (urlPath) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        http
          .get(`${baseUrl}${urlPath}`, { agent }, (res) => {
            res.resume();
            res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${urlPath}: HTTP ${res.statusCode}`))));
          })
          .on("error", reject);
      }),
    close: () => agent.destroy(),
  };
}
