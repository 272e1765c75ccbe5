// Writes the SQL migration that takes prisma/migrations/ to prisma/schema.prisma, offline.
//   npm run db:migration -- <name>     create prisma/migrations/<timestamp>_<name>/migration.sql
//   npm run db:migration -- --check    exit 1 if the schema has changes no migration covers (CI)
// The Prisma CLI needs a native schema engine it would download; its wasm build, driven through a
// driver adapter on an in-memory PGlite, computes the same diff (see shared notes: stack.md).
import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const root = path.resolve(import.meta.dirname, "..");
const schemaPath = path.join(root, "prisma", "schema.prisma");
const migrationsDir = path.join(root, "prisma", "migrations");

async function loadSchemaEngine() {
  // Node 20 cannot import .wasm as ESM: instantiate it by hand and wire the bindings.
  const dir = path.join(root, "node_modules", "@prisma", "schema-engine-wasm");
  const bindings = await import(path.join(dir, "schema_engine_bg.js"));
  const bytes = await readFile(path.join(dir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bindings;
}

async function listMigrations() {
  const names = existsSync(migrationsDir)
    ? (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok" as const, value: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const name = args.find((a) => !a.startsWith("--"));
  if (!check && !name) throw new Error("usage: npm run db:migration -- <name> | --check");

  const schema = await readFile(schemaPath, "utf8");
  const { SchemaEngine } = await loadSchemaEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(new PGlite()));
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  const result = await engine.diff({
    from: { tag: "migrations", ...(await listMigrations()) },
    to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  const sql = (result.stdout ?? "").trim();
  const empty = sql === "" || sql === "-- This is an empty migration.";

  if (check) {
    if (!empty) {
      console.error("prisma/schema.prisma has changes that no migration covers. Run: npm run db:migration -- <name>\n" + sql);
      process.exit(1);
    }
    console.log("migrations match prisma/schema.prisma");
    return;
  }
  if (empty) return console.log("no schema changes: no migration written");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql + "\n");
  const lock = path.join(migrationsDir, "migration_lock.toml");
  if (!existsSync(lock)) await writeFile(lock, 'provider = "postgresql"\n');
  console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
