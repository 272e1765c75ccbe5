// Resolves guest paths inside a preopened MemFs directory the way openat2()
// with RESOLVE_BENEATH does: relative only, symlinks followed in-tree, and any
// attempt to climb above the directory descriptor (via "..", an absolute path
// or an absolute symlink) is refused with ENOTCAPABLE: in WASI every directory
// descriptor is a capability for what lies beneath it, and nothing else.
import { ERRNO, type Errno } from "./wasi-constants";
import type { MemDir, MemNode } from "./mem-fs";

const MAX_SYMLINK_HOPS = 40; // Linux's MAXSYMLINKS

export interface ResolvedPath {
  /** Directory holding the final component. */
  dir: MemDir;
  /** Final component; "." when the path names `dir` itself ("." / ".." / "a/.."). */
  name: string;
  /** What the final component names now (undefined: does not exist). */
  node: MemNode | undefined;
  /** The path ended in "/" (or a symlink target did): the result must be a directory. */
  mustBeDir: boolean;
}

/**
 * @param root the sandbox: ".." never climbs above it (the dirfd's own directory)
 * @param start the directory the path is relative to (the dirfd)
 * @param followFinal follow a symlink in the last component
 */
export function resolvePath(root: MemDir, start: MemDir, path: string, followFinal: boolean): ResolvedPath | Errno {
  if (path === "") return ERRNO.NOENT;
  if (path.includes("\0")) return ERRNO.INVAL;
  if (path.startsWith("/")) return ERRNO.NOTCAPABLE;

  let mustBeDir = path.endsWith("/");
  const queue = path.split("/").filter((p) => p !== "");
  let dir = start;
  let hops = 0;

  // An empty queue after a "." or ".." means the path names `dir` itself.
  while (queue.length > 0) {
    const component = queue.shift() as string;
    const isLast = queue.length === 0;

    if (component === ".") {
      if (isLast) return { dir, name: ".", node: dir, mustBeDir };
      continue;
    }
    if (component === "..") {
      if (dir === root || !dir.parent) return ERRNO.NOTCAPABLE;
      dir = dir.parent;
      if (isLast) return { dir, name: ".", node: dir, mustBeDir };
      continue;
    }

    const child = dir.entries.get(component);
    if (isLast) {
      // A trailing slash forces symlink resolution, as in POSIX.
      if (child?.kind === "symlink" && (followFinal || mustBeDir)) {
        if (++hops > MAX_SYMLINK_HOPS) return ERRNO.LOOP;
        const expanded = expandSymlink(child.target, queue);
        if (typeof expanded === "number") return expanded;
        if (child.target.endsWith("/")) mustBeDir = true;
        continue;
      }
      if (mustBeDir && child && child.kind !== "dir") return ERRNO.NOTDIR;
      return { dir, name: component, node: child, mustBeDir };
    }

    if (!child) return ERRNO.NOENT;
    if (child.kind === "symlink") {
      if (++hops > MAX_SYMLINK_HOPS) return ERRNO.LOOP;
      const expanded = expandSymlink(child.target, queue);
      if (typeof expanded === "number") return expanded;
      continue;
    }
    if (child.kind !== "dir") return ERRNO.NOTDIR;
    dir = child;
  }
  // Only reachable when a symlink expanded to nothing but "." components.
  return { dir, name: ".", node: dir, mustBeDir };
}

/** Prepend a symlink's target components to the queue. */
function expandSymlink(target: string, queue: string[]): Errno | void {
  if (target === "") return ERRNO.NOENT;
  if (target.startsWith("/")) return ERRNO.NOTCAPABLE;
  const parts = target.split("/").filter((p) => p !== "");
  if (parts.length === 0) return;
  queue.unshift(...parts);
}
