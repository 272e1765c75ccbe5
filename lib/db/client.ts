// The one Prisma client of a process, over the pg driver adapter. DATABASE_URL points either at a
// real PostgreSQL or at the embedded database that `npm start` serves (lib/db/embedded.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

export function createDb(databaseUrl: string, maxConnections = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: maxConnections }) });
}

const holder = globalThis as unknown as { __wasmcomputeDb?: Db };

/** The process-wide client, created on first use from DATABASE_URL. */
export function db(): Db {
  if (!holder.__wasmcomputeDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the platform with `npm start`, which provides one");
    holder.__wasmcomputeDb = createDb(url);
  }
  return holder.__wasmcomputeDb;
}

/** Tests and scripts that manage their own database install its client here. */
export function setDb(client: Db): void {
  holder.__wasmcomputeDb = client;
}

/** Prisma's error code for a unique-constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}
