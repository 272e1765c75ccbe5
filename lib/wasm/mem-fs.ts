// An in-memory directory tree that the WASI host exposes to guests as a
// preopened directory. Nothing here touches a real disk: the same code runs in
// the gateway (Node worker) and in a browser tab, and a guest can never reach
// files outside the tree it was given.

let nextInode = 1n;
function allocateInode(): bigint {
  return nextInode++;
}

/** Wall clock in nanoseconds, used for file timestamps. */
function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

interface NodeTimes {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export class MemFile {
  readonly kind = "file" as const;
  readonly ino = allocateInode();
  /** Hard links pointing at this file (path_link adds one, unlink removes one). */
  nlink = 0;
  times: NodeTimes;
  // The buffer grows geometrically; `size` is the logical length.
  private buffer: Uint8Array;
  size: number;

  constructor(content: Uint8Array = new Uint8Array(0), time = nowNs()) {
    this.buffer = content.slice();
    this.size = content.length;
    this.times = { atim: time, mtim: time, ctim: time };
  }

  /** A copy of the current content. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.size);
  }

  /** A view of `length` bytes at `offset` (no copy; valid until the next write). */
  view(offset: number, length: number): Uint8Array {
    const start = Math.min(offset, this.size);
    const end = Math.min(this.size, start + length);
    return this.buffer.subarray(start, end);
  }

  write(offset: number, data: Uint8Array): void {
    const end = offset + data.length;
    this.ensureCapacity(end);
    // Writing past the end leaves a hole that reads as zeros (the buffer is zeroed).
    this.buffer.set(data, offset);
    if (end > this.size) this.size = end;
    this.touch();
  }

  truncate(size: number): void {
    if (size > this.size) this.ensureCapacity(size);
    else this.buffer.fill(0, size, this.size); // later extension must read zeros
    this.size = size;
    this.touch();
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(needed, this.buffer.length * 2, 64));
    next.set(this.buffer.subarray(0, this.size));
    this.buffer = next;
  }

  private touch(): void {
    const t = nowNs();
    this.times.mtim = t;
    this.times.ctim = t;
  }
}

export class MemDir {
  readonly kind = "dir" as const;
  readonly ino = allocateInode();
  readonly entries = new Map<string, MemNode>();
  /** Null for a tree's root; kept up to date by rename so `..` works. */
  parent: MemDir | null = null;
  /** False once removed, so operations through a dangling fd fail cleanly. */
  linked = true;
  times: NodeTimes;

  constructor(time = nowNs()) {
    this.times = { atim: time, mtim: time, ctim: time };
  }

  get nlink(): number {
    let dirs = 0;
    for (const child of this.entries.values()) if (child.kind === "dir") dirs++;
    return 2 + dirs;
  }

  touch(): void {
    const t = nowNs();
    this.times.mtim = t;
    this.times.ctim = t;
  }
}

export class MemSymlink {
  readonly kind = "symlink" as const;
  readonly ino = allocateInode();
  nlink = 1;
  times: NodeTimes;
  constructor(readonly target: string, time = nowNs()) {
    this.times = { atim: time, mtim: time, ctim: time };
  }
}

export type MemNode = MemFile | MemDir | MemSymlink;

/** Link `node` into `dir` under `name`, keeping link counts and parent pointers right. */
export function linkNode(dir: MemDir, name: string, node: MemNode): void {
  dir.entries.set(name, node);
  if (node.kind === "dir") {
    node.parent = dir;
    node.linked = true;
  } else if (node.kind === "file") {
    node.nlink++;
  }
  dir.touch();
}

/** Remove the entry `name` from `dir`. */
export function unlinkNode(dir: MemDir, name: string): void {
  const node = dir.entries.get(name);
  if (!node) return;
  dir.entries.delete(name);
  if (node.kind === "dir") node.linked = false;
  else if (node.kind === "file") node.nlink--;
  dir.touch();
}

export type MemFsEntryContent = Uint8Array | string;

/**
 * An in-memory directory tree.
 *
 * - `MemFs.fromEntries({"index.html": bytes, "dir/a.txt": "text", "empty/": ""})` builds a tree
 *   from slash-separated relative paths (a trailing slash makes an empty directory).
 * - `readOnly` trees refuse every mutation with EROFS (the WAGI `/app` files are read-only).
 * - Writes to a writable tree stay in memory, in this object: `clone()` first if the original
 *   must stay untouched (e.g. one fresh copy per request or per test).
 */
export class MemFs {
  readonly root: MemDir;
  /** Device number reported by filestat; distinct per tree. */
  readonly dev: bigint;
  private static nextDev = 1n;

  constructor(readonly readOnly = false, root: MemDir = new MemDir()) {
    this.root = root;
    this.dev = MemFs.nextDev++;
  }

  static fromEntries(entries: Record<string, MemFsEntryContent>, options: { readOnly?: boolean } = {}): MemFs {
    const fs = new MemFs(false);
    const encoder = new TextEncoder();
    for (const [path, content] of Object.entries(entries)) {
      if (path.endsWith("/")) fs.mkdirp(path);
      else fs.writeFile(path, typeof content === "string" ? encoder.encode(content) : content);
    }
    return options.readOnly ? fs.withReadOnly(true) : fs;
  }

  /** The same tree (shared, not copied) with a different read-only flag. */
  withReadOnly(readOnly: boolean): MemFs {
    return new MemFs(readOnly, this.root);
  }

  /** A deep copy (hard links inside the tree stay hard links). */
  clone(options: { readOnly?: boolean } = {}): MemFs {
    const copies = new Map<MemNode, MemNode>();
    const copyDir = (dir: MemDir): MemDir => {
      const out = new MemDir(dir.times.mtim);
      out.times = { ...dir.times };
      for (const [name, child] of dir.entries) {
        let copy = copies.get(child);
        if (!copy) {
          if (child.kind === "dir") copy = copyDir(child);
          else if (child.kind === "file") {
            copy = new MemFile(child.bytes());
            copy.times = { ...child.times };
          } else {
            copy = new MemSymlink(child.target);
            copy.times = { ...child.times };
          }
          copies.set(child, copy);
        }
        linkNode(out, name, copy);
      }
      out.times = { ...dir.times };
      return out;
    };
    return new MemFs(options.readOnly ?? this.readOnly, copyDir(this.root));
  }

  /** Create (or replace) a file, creating parent directories as needed. */
  writeFile(path: string, content: Uint8Array | string): void {
    const parts = splitRelative(path);
    const name = parts.pop();
    if (name === undefined) throw new Error(`MemFs: empty file path "${path}"`);
    const dir = this.mkdirp(parts.join("/"));
    const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const existing = dir.entries.get(name);
    if (existing?.kind === "file") existing.truncate(0), existing.write(0, data);
    else {
      if (existing) unlinkNode(dir, name);
      linkNode(dir, name, new MemFile(data));
    }
  }

  /** Create a directory and its parents; returns it. */
  mkdirp(path: string): MemDir {
    let dir = this.root;
    for (const part of splitRelative(path)) {
      const child = dir.entries.get(part);
      if (child?.kind === "dir") dir = child;
      else if (child) throw new Error(`MemFs: "${part}" in "${path}" is not a directory`);
      else {
        const created = new MemDir();
        linkNode(dir, part, created);
        dir = created;
      }
    }
    return dir;
  }

  /** Add a symbolic link (targets are resolved relative to the link's directory). */
  symlink(path: string, target: string): void {
    const parts = splitRelative(path);
    const name = parts.pop();
    if (name === undefined) throw new Error(`MemFs: empty symlink path "${path}"`);
    linkNode(this.mkdirp(parts.join("/")), name, new MemSymlink(target));
  }

  /** Look a path up without following symlinks; undefined when missing. */
  lookup(path: string): MemNode | undefined {
    let node: MemNode = this.root;
    for (const part of splitRelative(path)) {
      if (node.kind !== "dir") return undefined;
      const child: MemNode | undefined = node.entries.get(part);
      if (!child) return undefined;
      node = child;
    }
    return node;
  }

  /** The content of a regular file, or undefined. */
  readFile(path: string): Uint8Array | undefined {
    const node = this.lookup(path);
    return node?.kind === "file" ? node.bytes() : undefined;
  }

  /** Every path in the tree ("dir/" for directories), depth first, for tests and debugging. */
  list(): string[] {
    const out: string[] = [];
    const walk = (dir: MemDir, prefix: string) => {
      for (const [name, child] of dir.entries) {
        if (child.kind === "dir") {
          out.push(`${prefix}${name}/`);
          walk(child, `${prefix}${name}/`);
        } else out.push(`${prefix}${name}`);
      }
    };
    walk(this.root, "");
    return out;
  }
}

function splitRelative(path: string): string[] {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new Error(`MemFs: ".." is not allowed in "${path}"`);
  return parts;
}
