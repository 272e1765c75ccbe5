// Every change to what gateways serve bumps one counter; gateways poll it to drop their caches.
import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";

type Tx = Prisma.TransactionClient;

export async function bumpRoutingEpoch(tx: Tx): Promise<void> {
  await tx.$executeRaw`INSERT INTO "RoutingEpoch" ("id", "value") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "value" = "RoutingEpoch"."value" + 1`;
}

export async function readRoutingEpoch(): Promise<bigint> {
  const row = await db().routingEpoch.findUnique({ where: { id: 1 } });
  return row?.value ?? 0n;
}
