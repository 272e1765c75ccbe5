// The guest's file descriptor table. Each entry carries WASI rights: a guest
// can only drop rights (fd_fdstat_set_rights) and a descriptor opened from a
// directory gets at most that directory's inheriting rights.
import type { MemDir, MemFile, MemFs } from "./mem-fs";
import type { OutputSink } from "./output-sink";

interface FdCommon {
  rightsBase: bigint;
  rightsInheriting: bigint;
  fdflags: number;
}
export interface StdinFd extends FdCommon {
  type: "stdin";
  data: Uint8Array;
  position: number;
}
export interface OutputFd extends FdCommon {
  type: "output";
  sink: OutputSink;
}
export interface FileFd extends FdCommon {
  type: "file";
  file: MemFile;
  fs: MemFs;
  position: number;
}
export interface DirFd extends FdCommon {
  type: "dir";
  dir: MemDir;
  fs: MemFs;
  /** Set on preopened descriptors only (fd_prestat_get reports it). */
  preopenName?: string;
}
export type FdEntry = StdinFd | OutputFd | FileFd | DirFd;

export class FdTable {
  private readonly entries = new Map<number, FdEntry>();

  get(fd: number): FdEntry | undefined {
    return this.entries.get(fd >>> 0);
  }

  set(fd: number, entry: FdEntry): void {
    this.entries.set(fd >>> 0, entry);
  }

  /** Like POSIX: the lowest free descriptor number. */
  add(entry: FdEntry): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, entry);
    return fd;
  }

  clear(): void {
    this.entries.clear();
  }

  delete(fd: number): boolean {
    return this.entries.delete(fd >>> 0);
  }
}
