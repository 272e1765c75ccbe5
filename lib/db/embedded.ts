// The embedded default database: PGlite (PostgreSQL compiled to wasm) kept in a data directory,
// served over the PostgreSQL wire protocol on a loopback port. Every process (console, gateway)
// then talks to it through the same `pg` driver and DATABASE_URL as to a real server.
// Caveats: all connections share one backend session, so a transaction holds every other
// connection's queries until it ends (keep transactions short), and LISTEN/NOTIFY does not cross
// connections (gateways poll the routing epoch instead).
import { PGlite } from "@electric-sql/pglite";
import { serveWire } from "./pglite-wire-server";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(options: {
  dataDir?: string; // omitted: in memory (tests)
  port?: number; // 0: any free port
  host?: string;
  /** See serveWire: a silent transaction that others wait on is rolled back after this long. */
  idleInTransactionMs?: number;
}): Promise<EmbeddedDatabase> {
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  const host = options.host ?? "127.0.0.1";
  const server = await serveWire(db, { host, port: options.port ?? 0, idleInTransactionMs: options.idleInTransactionMs });
  return {
    url: `postgresql://postgres@${host}:${server.port}/postgres?sslmode=disable`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
