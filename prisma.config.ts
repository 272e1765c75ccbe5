import { defineConfig } from "prisma/config";

// Only `prisma generate` uses the CLI (offline, see scripts/prisma-generate.mjs); migrations are
// SQL files applied by lib/db/migrate.ts and written by scripts/create-migration.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
