// Blobs as files under one directory (the embedded default keeps them in DATA_DIR/blobs): a blob
// is written to a temporary name, fsynced, then renamed to blobs/<first two hex>/<sha256>, so a
// reader sees all of a blob or none of it, and a crash leaves at most a temporary file.
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { referencedHashes, type BlobStore } from "./blob-store";

const SHA256 = /^[0-9a-f]{64}$/;
const TMP = ".tmp";

export function createFileBlobStore({ db, dir }: { db: Db; dir: string }): BlobStore {
  const root = path.resolve(dir);
  const fileOf = (sha256: string) => {
    // Hashes come from our own rows, but a path is built from them: never let one leave the root.
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${JSON.stringify(sha256)}`);
    return path.join(root, sha256.slice(0, 2), sha256);
  };

  async function putOne(sha256: string, data: Uint8Array): Promise<void> {
    const file = fileOf(sha256);
    const now = new Date();
    try {
      await utimes(file, now, now);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const tmpDir = path.join(root, TMP);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString("hex")}`);
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await syncDirectory(path.dirname(file));
  }

  async function read(sha256: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(fileOf(sha256)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  /**
   * Moves the blob aside, then looks at its age again: a put that touched it before the move shows
   * as a fresh mtime (the blob goes back), a put after the move finds no file and writes it anew.
   * Either way a blob that a publish is about to refer to survives.
   */
  async function removeIfStillOld(sha256: string, cutoff: number): Promise<boolean> {
    const file = fileOf(sha256);
    const aside = path.join(root, TMP, `${sha256}.sweep.${randomBytes(6).toString("hex")}`);
    await mkdir(path.join(root, TMP), { recursive: true });
    try {
      await rename(file, aside);
    } catch {
      return false;
    }
    const info = await stat(aside).catch(() => null);
    if (!info) return false;
    if (info.mtimeMs >= cutoff) {
      // Put back unless a put has already written it again.
      await link(aside, file).catch(() => {});
      await unlink(aside);
      return false;
    }
    await unlink(aside);
    return true;
  }

  return {
    kind: "files",
    async put(blobs) {
      const unique = new Map(blobs.map((b) => [b.sha256, b.data]));
      for (const [sha256, data] of unique) await putOne(sha256, data);
    },
    read,
    async readPrefix(sha256, maxBytes) {
      let handle;
      try {
        handle = await open(fileOf(sha256), "r");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
      try {
        const buffer = Buffer.alloc(Math.max(0, Math.floor(maxBytes)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async readMany(hashes) {
      const found = new Map<string, Uint8Array>();
      await Promise.all(
        [...new Set(hashes)].map(async (h) => {
          const bytes = await read(h);
          if (bytes) found.set(h, bytes);
        }),
      );
      return found;
    },
    async sweepOrphans({ graceMs }) {
      const cutoff = Date.now() - graceMs;
      const old: string[] = [];
      for (const shard of await readdirOrEmpty(root)) {
        if (shard === TMP) {
          // Temporary files of writes that never finished (the process died mid-write).
          for (const name of await readdirOrEmpty(path.join(root, TMP))) {
            const file = path.join(root, TMP, name);
            if (((await stat(file).catch(() => null))?.mtimeMs ?? Infinity) < cutoff) await rm(file, { force: true });
          }
          continue;
        }
        for (const name of await readdirOrEmpty(path.join(root, shard))) {
          if (!SHA256.test(name)) continue;
          const info = await stat(path.join(root, shard, name)).catch(() => null);
          if (info && info.mtimeMs < cutoff) old.push(name);
        }
      }
      let removed = 0;
      for (let i = 0; i < old.length; i += 1000) {
        const batch = old.slice(i, i + 1000);
        const kept = await referencedHashes(db, batch);
        for (const sha256 of batch) {
          if (kept.has(sha256)) continue;
          if (await removeIfStillOld(sha256, cutoff)) removed++;
        }
      }
      return removed;
    },
    close: async () => {},
  };
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** Makes a rename durable: the directory entry itself is flushed. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
