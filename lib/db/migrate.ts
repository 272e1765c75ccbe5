// Applies prisma/migrations/*/migration.sql in name order, each in its own transaction, recording
// (name, checksum) in _migrations. Idempotent; refuses to run when an applied file was edited,
// since the database would silently disagree with the repository.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { findRepoRoot } from "@/lib/repo-root";

export const MIGRATIONS_DIR = path.join(findRepoRoot(), "prisma", "migrations");

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(options: { databaseUrl: string; dir?: string }): Promise<MigrationResult> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS "_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    // Several processes may start at once on one PostgreSQL: one migrates, the others wait.
    await client.query("SELECT pg_advisory_lock(727274)");
    try {
      const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_migrations"`);
      const done = new Map(rows.map((r) => [r.name, r.checksum]));
      const applied: string[] = [];
      for (const name of names) {
        const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
        const checksum = createHash("sha256").update(sql).digest("hex");
        const previous = done.get(name);
        if (previous !== undefined) {
          if (previous !== checksum) {
            throw new Error(`migration ${name} was edited after it was applied; write a new migration instead`);
          }
          continue;
        }
        await client.query("BEGIN");
        try {
          await client.query(sql);
          await client.query(`INSERT INTO "_migrations" (name, checksum) VALUES ($1, $2)`, [name, checksum]);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${name} failed: ${(e as Error).message}`);
        }
        applied.push(name);
      }
      return { applied, alreadyApplied: names.length - applied.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock(727274)");
    }
  } finally {
    await client.end();
  }
}
