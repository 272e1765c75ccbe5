// Content-addressed bytes in the database, shared by every process. Writes happen inside the
// caller's transaction, so a failed publish leaves no orphan.
import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";

type Tx = Prisma.TransactionClient;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function putBlobs(tx: Tx, blobs: { sha256: string; data: Uint8Array }[]): Promise<void> {
  const unique = new Map(blobs.map((b) => [b.sha256, b]));
  for (const blob of unique.values()) {
    await tx.$executeRaw`INSERT INTO "Blob" ("sha256", "size", "data") VALUES (${blob.sha256}, ${blob.data.byteLength}, ${Buffer.from(blob.data.buffer, blob.data.byteOffset, blob.data.byteLength)}) ON CONFLICT ("sha256") DO NOTHING`;
  }
}

export async function readBlob(sha256: string): Promise<Uint8Array | null> {
  const row = await db().blob.findUnique({ where: { sha256 }, select: { data: true } });
  return row ? new Uint8Array(row.data) : null;
}

export async function readBlobs(hashes: string[]): Promise<Map<string, Uint8Array>> {
  const rows = await db().blob.findMany({ where: { sha256: { in: hashes } }, select: { sha256: true, data: true } });
  return new Map(rows.map((r) => [r.sha256, new Uint8Array(r.data)]));
}

/** Deletes blobs that no version's module or files refer to any more. */
export async function deleteOrphanBlobs(tx: Tx): Promise<number> {
  return tx.$executeRaw`DELETE FROM "Blob" b WHERE NOT EXISTS (SELECT 1 FROM "Version" v WHERE v."moduleSha256" = b."sha256")
    AND NOT EXISTS (SELECT 1 FROM "VersionFile" f WHERE f."sha256" = b."sha256")`;
}
