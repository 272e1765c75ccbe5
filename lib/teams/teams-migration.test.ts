// The teams migration on a database that already has users: each becomes the owner of the tenant
// they signed up with, and keeps working (their tokens, made before teams, keep their scope).
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate } from "@/lib/db/migrate";
import { POSTGRES_ADMIN_URL, adminQuery } from "@/lib/testing/test-database";

const name = `wc_test_teams_${process.pid}`;
const url = Object.assign(new URL(POSTGRES_ADMIN_URL), { pathname: `/${name}` }).toString();
let dir: string | undefined;

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("makes every existing user the owner of their tenant", async () => {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${name}"`);
  // The migrations before teams, as an existing installation has them.
  dir = await mkdtemp(path.join(os.tmpdir(), "wc-teams-migration-"));
  const all = (await readdir(MIGRATIONS_DIR)).sort();
  const teams = all.find((m) => m.endsWith("_teams"))!;
  for (const entry of all.filter((m) => m < teams || !/^\d/.test(m))) await cp(path.join(MIGRATIONS_DIR, entry), path.join(dir, entry), { recursive: true });
  await migrate({ databaseUrl: url, dir });

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tenants = await client.query<{ id: string }>(`INSERT INTO "Tenant" (id, name) VALUES (gen_random_uuid(), 'acme'), (gen_random_uuid(), 'globex') RETURNING id`);
    for (const [i, t] of tenants.rows.entries()) {
      await client.query(`INSERT INTO "User" (id, "tenantId", email, "passwordHash") VALUES (gen_random_uuid(), $1, $2, 'x')`, [t.id, `u${i}@example.com`]);
    }
    await cp(path.join(MIGRATIONS_DIR, teams), path.join(dir, teams), { recursive: true });
    expect((await migrate({ databaseUrl: url, dir })).applied).toEqual([teams]);
    const members = await client.query(`SELECT t.name, u.email, m.role FROM "Membership" m JOIN "Tenant" t ON t.id = m."tenantId" JOIN "User" u ON u.id = m."userId" ORDER BY t.name`);
    expect(members.rows).toEqual([
      { name: "acme", email: "u0@example.com", role: "owner" },
      { name: "globex", email: "u1@example.com", role: "owner" },
    ]);
  } finally {
    await client.end();
  }
});
