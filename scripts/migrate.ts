// Applies the database migrations to DATABASE_URL and exits: the step to run before starting
// console and gateway processes on a shared PostgreSQL (`npm start` does it by itself).
import { sharedConfig } from "@/lib/config/shared-config";
import { migrate } from "@/lib/db/migrate";

const url = sharedConfig().DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the PostgreSQL server to migrate");
  process.exit(2);
}
const { applied, alreadyApplied } = await migrate({ databaseUrl: url });
console.log(applied.length ? `applied: ${applied.join(", ")}` : `up to date (${alreadyApplied} migrations)`);
