// The one Prisma client of a process, over the pg driver adapter. DATABASE_URL points either at a
// real PostgreSQL or at the embedded database that `npm start` serves (lib/db/embedded.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { sharedConfig } from "@/lib/config/shared-config";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

/**
 * Every wait on the database is bounded, so a busy database (above all the embedded one, whose
 * one session serializes every process's queries) turns into a quick 503 with Retry-After, never
 * into a console page or gateway request that hangs for minutes. DB_QUERY_TIMEOUT_MS bounds one
 * statement's round trip, DB_CONNECT_TIMEOUT_MS the wait for a connection from the pool.
 */
export function dbTimeouts(): { queryMs: number; connectMs: number } {
  const settings = sharedConfig();
  return { queryMs: settings.DB_QUERY_TIMEOUT_MS, connectMs: settings.DB_CONNECT_TIMEOUT_MS };
}

export function createDb(databaseUrl: string, maxConnections = 10): Db {
  const timeouts = dbTimeouts();
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl,
      max: maxConnections,
      query_timeout: timeouts.queryMs,
      connectionTimeoutMillis: timeouts.connectMs,
    }),
  });
}

const holder = globalThis as unknown as { __wasmcomputeDb?: Db; __wasmcomputeDbUrl?: string };

/** The process-wide client, created on first use from DATABASE_URL. */
export function db(): Db {
  if (!holder.__wasmcomputeDb) {
    const url = sharedConfig().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the platform with `npm start`, which provides one");
    holder.__wasmcomputeDb = createDb(url);
    holder.__wasmcomputeDbUrl = url;
  }
  return holder.__wasmcomputeDb;
}

/** The URL of the process's database (for the few paths that open their own `pg` pool). */
export function databaseUrl(): string | undefined {
  return holder.__wasmcomputeDbUrl ?? sharedConfig().DATABASE_URL;
}

/** Tests and scripts that manage their own database install its client (and its URL) here. */
export function setDb(client: Db, url?: string): void {
  holder.__wasmcomputeDb = client;
  holder.__wasmcomputeDbUrl = url;
}

/** Prisma's error code for a unique-constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}
