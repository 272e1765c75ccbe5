import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { deleteOrphanBlobs } from "@/lib/blobs/blob-store";
import { bumpRoutingEpoch } from "@/lib/deployments/routing-epoch";
import { findAppOrThrow } from "./find-app";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/** Deletes an app with its versions and deployments; gateways stop serving it within a second. */
export async function deleteApp({ actor, name }: { actor: Actor; name: string }): Promise<void> {
  const app = await findAppOrThrow({ actor, name });
  await db().$transaction(async (tx) => {
    await tx.app.delete({ where: { id: app.id } });
    await bumpRoutingEpoch(tx);
    await deleteOrphanBlobs(tx);
  });
  await recordAuditEvent({ actor, action: "app.deleted", target: `app:${app.name}` });
}
