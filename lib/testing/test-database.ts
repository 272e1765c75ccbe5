// A fresh, migrated database per test file, on either kind the platform supports:
// "embedded" (an in-memory PGlite served like `npm start` serves it) or "postgres" (a new
// database on the real server at TEST_POSTGRES_URL, dropped afterwards), so runs never collide.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, setDb, type Db } from "@/lib/db/client";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type DatabaseKind = "embedded" | "postgres";

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  db: Db;
  close(): Promise<void>;
}

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** `migrationsDir`: migrate from another folder (a test of a migration stops before it). */
export async function createTestDatabase(kind: DatabaseKind, options: { migrationsDir?: string } = {}): Promise<TestDatabase> {
  const { url, drop } = kind === "embedded" ? await embedded() : await postgres();
  await migrate({ databaseUrl: url, dir: options.migrationsDir });
  const db = createDb(url, 5);
  setDb(db, url);
  return {
    kind,
    url,
    db,
    async close() {
      await db.$disconnect();
      await drop();
    },
  };
}

async function embedded() {
  const server = await startEmbeddedDatabase({});
  return { url: server.url, drop: () => server.stop() };
}

async function postgres() {
  const name = `wc_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Runs one statement on the server's admin database (to create or drop a test's own database). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
