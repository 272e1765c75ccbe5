// The embedded default database: PGlite (PostgreSQL compiled to wasm) kept in a data directory,
// served over the PostgreSQL wire protocol on a loopback port. Every process (console, gateway)
// then talks to it through the same `pg` driver and DATABASE_URL as to a real server.
// Caveats (shared notes): all connections share one backend session, so keep transactions short;
// LISTEN/NOTIFY does not cross connections.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(options: {
  dataDir?: string; // omitted: in memory (tests)
  port?: number; // 0: any free port
  host?: string;
}): Promise<EmbeddedDatabase> {
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 256 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
