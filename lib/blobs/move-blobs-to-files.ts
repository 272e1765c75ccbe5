// When blobs move to files (BLOB_DIR; the embedded default since blobs left its database), the
// ones an earlier version of the platform kept in the database follow, once, at start.
import type { Db } from "@/lib/db/client";
import { createDatabaseBlobStore } from "./database-blob-store";
import { createFileBlobStore } from "./file-blob-store";

export async function moveBlobsToFiles({ db, databaseUrl, dir }: { db: Db; databaseUrl: string; dir: string }): Promise<number> {
  const from = createDatabaseBlobStore({ db, databaseUrl });
  const to = createFileBlobStore({ db, dir });
  const rows = await db.blob.findMany({ select: { sha256: true } });
  for (const { sha256 } of rows) {
    const data = await from.read(sha256);
    if (data) await to.put([{ sha256, data }]);
    await db.$transaction([db.blobChunk.deleteMany({ where: { sha256 } }), db.blob.delete({ where: { sha256 } })]);
  }
  await from.close();
  return rows.length;
}
