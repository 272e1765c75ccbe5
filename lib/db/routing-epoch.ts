// Every change to what gateways serve bumps one counter; gateways drop their caches when it moves.
// The bump also notifies ROUTING_EPOCH_CHANNEL (delivered when its transaction commits), so a
// gateway listening there (routing-epoch-listener.ts) reloads at once instead of at its next poll.
import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";

type Tx = Prisma.TransactionClient;

export const ROUTING_EPOCH_CHANNEL = "routing_epoch";

export async function bumpRoutingEpoch(tx: Tx): Promise<void> {
  // One statement, one round trip; the payload is the new value (listeners only need the event).
  await tx.$executeRaw`WITH bumped AS (
    INSERT INTO "RoutingEpoch" ("id", "value") VALUES (1, 1) ON CONFLICT ("id") DO UPDATE SET "value" = "RoutingEpoch"."value" + 1 RETURNING "value"
  ) SELECT pg_notify(${ROUTING_EPOCH_CHANNEL}, "value"::text) FROM bumped`;
}

export async function readRoutingEpoch(): Promise<bigint> {
  const row = await db().routingEpoch.findUnique({ where: { id: 1 } });
  return row?.value ?? 0n;
}
