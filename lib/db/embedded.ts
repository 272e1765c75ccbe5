// The embedded default database: PGlite (PostgreSQL compiled to wasm) kept in a data directory,
// served over the PostgreSQL wire protocol on a loopback port. Every process (console, gateway)
// then talks to it through the same `pg` driver and DATABASE_URL as to a real server.
// The port asks for a password (SCRAM-SHA-256): `npm start` keeps one in DATA_DIR/db-password
// (mode 0600, like the other generated secrets) and hands every process the URL that carries it,
// so another local user can neither connect nor, with DATA_DIR at 0700, read the files.
// Caveats: all connections share one backend session, so a transaction holds every other
// connection's queries until it ends (keep transactions short). LISTEN/NOTIFY crosses connections
// only because the wire server hands each notification to the connections that LISTENed.
import { randomBytes } from "node:crypto";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { serveWire } from "./pglite-wire-server";

export const DB_PASSWORD_FILE = "db-password";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(options: {
  dataDir?: string; // omitted: in memory (tests)
  port?: number; // 0: any free port
  host?: string;
  /** What every connection must prove it knows; omitted: a random one, only in the returned url. */
  password?: string;
  /** See serveWire: a silent transaction that others wait on is rolled back after this long. */
  idleInTransactionMs?: number;
}): Promise<EmbeddedDatabase> {
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await db.waitReady;
  const host = options.host ?? "127.0.0.1";
  const password = options.password ?? newPassword();
  const server = await serveWire(db, { host, port: options.port ?? 0, password, idleInTransactionMs: options.idleInTransactionMs });
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@${host.includes(":") ? `[${host}]` : host}:${server.port}/postgres?sslmode=disable`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

const newPassword = () => randomBytes(32).toString("base64url");

/**
 * The embedded database's password, from DATA_DIR/db-password, generated (mode 0600) on first
 * start; a file that others can read is made private again.
 */
export async function ensureEmbeddedDatabasePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, DB_PASSWORD_FILE);
  try {
    await writeFile(file, `${newPassword()}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const password = (await readFile(file, "utf8")).trim();
  if (!password) throw new Error(`${file} is empty: delete it and start again to generate a new database password`);
  return password;
}
