// A tenant always keeps an owner. Demoting or removing an owner locks the tenant's owner rows
// first (FOR UPDATE), so two owners demoting each other at once cannot both succeed.
import type { db } from "@/lib/db/client";

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

export async function lockOwners(tx: Tx, tenantId: string): Promise<{ userId: string }[]> {
  return tx.$queryRaw<{ userId: string }[]>`SELECT "userId"::text AS "userId" FROM "Membership" WHERE "tenantId" = ${tenantId}::uuid AND role = 'owner' FOR UPDATE`;
}
