import { db } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { bumpRoutingEpoch } from "@/lib/db/routing-epoch";
import { findAppOrThrow } from "./find-app";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

/**
 * Deletes an app with its versions and deployments; gateways stop serving it within a second. Its
 * bytes go with the next orphan sweep (lib/blobs/blob-store.ts), as another version may share them.
 */
export async function deleteApp({ actor, name }: { actor: Actor; name: string }): Promise<void> {
  const app = await findAppOrThrow({ actor, name });
  await db().$transaction(async (tx) => {
    await tx.app.delete({ where: { id: app.id } });
    await bumpRoutingEpoch(tx);
  });
  await recordAuditEvent({ actor, action: "app.deleted", target: `app:${app.name}` });
}
