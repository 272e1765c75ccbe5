// WASI preview1 (wasi_snapshot_preview1) implemented over in-memory state:
// argv/environ, stdin bytes, captured stdout/stderr and MemFs preopens.
// Every import is synchronous and returns an errno; guest pointer faults become
// EFAULT, never a host crash. proc_exit and the stdout cap unwind the guest by
// throwing sentinels that runWasi() catches.
import { FdTable, type DirFd, type FdEntry, type FileFd } from "./fd-table";
import { GuestFault, GuestMemory, encodeUtf8 } from "./guest-memory";
import { MemDir, MemFile, MemSymlink, linkNode, unlinkNode, type MemFs, type MemNode } from "./mem-fs";
import { OutputSink } from "./output-sink";
import { resolvePath, type ResolvedPath } from "./resolve-path";
import {
  ADVICE_MAX, ALL_RIGHTS, CLOCKID, DIRECTORY_RIGHTS, ERRNO, EVENTTYPE, FDFLAGS, FILETYPE,
  FILE_RIGHTS, FSTFLAGS, LOOKUPFLAGS, OFLAGS, PREOPENTYPE, RIGHTS, SIZE, STDIO_RIGHTS,
  SUBCLOCKFLAGS, WHENCE, type Errno,
} from "./wasi-constants";

/** Thrown by proc_exit to unwind the guest; runWasi() turns it into the exit code. */
export class WasiExit {
  constructor(readonly code: number) {}
}

/** Thrown by helpers to return an errno from the current import. */
class WasiError {
  constructor(readonly errno: Errno) {}
}

function fail(errno: Errno): never {
  throw new WasiError(errno);
}

export interface WasiHostOptions {
  /** argv, or a function that makes it: called only if the guest asks for it (many never do). */
  args?: string[] | (() => string[]);
  /** The environment, or a function that makes it (called only if the guest asks for it). */
  env?: Record<string, string> | (() => Record<string, string>);
  stdin?: Uint8Array;
  preopens?: Record<string, MemFs>;
  maxStdoutBytes?: number;
  /** Keep at most this many bytes of stderr; the rest is counted and dropped (see OutputSink). */
  maxStderrBytes?: number;
  /** A byte budget stderr shares with other output (the request's log budget, lib/wasm/log-budget.ts). */
  stderrBudget?: { left: number };
  /** Realtime clock in nanoseconds since the epoch (tests inject a fixed one). */
  now?: () => bigint;
}

const MAX_IO_BYTES = 0x7fff_ffff;
const EMPTY = new Uint8Array(0);
const CLEARED: WasiHostOptions = {};

export class WasiHost {
  readonly memory = new GuestMemory();
  stdout = new OutputSink("stdout");
  stderr = new OutputSink("stderr");
  private readonly fds = new FdTable();
  private argSource: WasiHostOptions["args"];
  private envSource: WasiHostOptions["env"];
  // Encoded lazily: most guests never ask for their environment.
  private argBytes: Uint8Array[] | undefined;
  private envBytes: Uint8Array[] | undefined;
  private now: () => bigint = realtimeNs;
  private startedAt = 0;
  private table: Record<string, (...args: never[]) => number> | undefined;

  constructor(options: WasiHostOptions = {}) {
    this.reset(options);
  }

  /**
   * Starts a new run on this host: everything a guest could observe or change is replaced.
   * runWasi() pools hosts, so the import table (about 50 functions and their guards) is built
   * once per host instead of once per run.
   */
  reset(options: WasiHostOptions): void {
    this.argSource = options.args;
    this.envSource = options.env;
    this.argBytes = undefined;
    this.envBytes = undefined;
    this.now = options.now ?? realtimeNs;
    this.startedAt = performance.now();
    this.memory.detach();
    this.stdout.reset(options.maxStdoutBytes ?? Infinity);
    this.stderr.reset(Infinity, options.maxStderrBytes ?? Infinity, options.stderrBudget ?? null);
    const stdio = { rightsBase: STDIO_RIGHTS, rightsInheriting: 0n, fdflags: 0 };
    this.fds.clear();
    this.fds.set(0, { type: "stdin", data: options.stdin ?? EMPTY, position: 0, ...stdio });
    this.fds.set(1, { type: "output", sink: this.stdout, ...stdio, fdflags: FDFLAGS.APPEND });
    this.fds.set(2, { type: "output", sink: this.stderr, ...stdio, fdflags: FDFLAGS.APPEND });
    const preopens = options.preopens;
    if (preopens) {
      for (const name in preopens) {
        const fs = preopens[name]!;
        this.fds.add({
          type: "dir", dir: fs.root, fs, preopenName: name,
          rightsBase: DIRECTORY_RIGHTS, rightsInheriting: ALL_RIGHTS, fdflags: 0,
        });
      }
    }
  }

  /**
   * Drops every reference to the last run's data (stdin, output, files, memory), so it can be
   * collected young: an instance stays reachable until a full GC (V8 keeps instances on weak
   * lists that minor GCs treat as strong), and it holds this host's import functions.
   */
  clear(): void {
    this.reset(CLEARED);
  }

  private get args(): Uint8Array[] {
    if (!this.argBytes) {
      const args = typeof this.argSource === "function" ? this.argSource() : (this.argSource ?? []);
      this.argBytes = args.map(encodeUtf8);
    }
    return this.argBytes;
  }

  private get env(): Uint8Array[] {
    if (!this.envBytes) {
      const env = (typeof this.envSource === "function" ? this.envSource() : this.envSource) ?? {};
      const out: Uint8Array[] = [];
      for (const key in env) out.push(encodeUtf8(`${key}=${env[key]}`));
      this.envBytes = out;
    }
    return this.envBytes;
  }

  /** The `wasi_snapshot_preview1` import object (the same one for every run of this host). */
  imports(): Record<string, (...args: never[]) => number> {
    if (this.table) return this.table;
    const table: Record<string, (...args: never[]) => number> = {};
    for (const [name, fn] of Object.entries(this.calls())) {
      table[name] = this.guard(fn as (...args: unknown[]) => number | void);
    }
    this.table = table;
    return table;
  }

  /** Map helper exceptions to errno; let exit/trap sentinels through. */
  private guard(fn: (...args: unknown[]) => number | void): (...args: never[]) => number {
    return (...args: never[]) => {
      try {
        return fn(...args) ?? ERRNO.SUCCESS;
      } catch (e) {
        if (e instanceof WasiError) return e.errno;
        if (e instanceof GuestFault) return ERRNO.FAULT;
        // DataView bounds errors are guest faults; a host stack overflow is not.
        if (e instanceof RangeError && !/call stack/i.test(e.message)) return ERRNO.FAULT;
        throw e;
      }
    };
  }

  // ---- helpers -------------------------------------------------------------

  private entry(fd: number, rights: bigint = 0n): FdEntry {
    const entry = this.fds.get(fd);
    if (!entry) fail(ERRNO.BADF);
    if ((entry.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return entry;
  }

  private dirEntry(fd: number, rights: bigint): DirFd {
    const entry = this.fds.get(fd);
    if (!entry) fail(ERRNO.BADF);
    if (entry.type !== "dir") fail(ERRNO.NOTDIR);
    if ((entry.rightsBase & rights) !== rights) fail(ERRNO.NOTCAPABLE);
    return entry;
  }

  private path(ptr: number, len: number): string {
    try {
      return this.memory.readString(ptr, len);
    } catch (e) {
      if (e instanceof TypeError) fail(ERRNO.ILSEQ);
      throw e;
    }
  }

  private resolve(dir: DirFd, path: string, follow: boolean): ResolvedPath {
    if (!dir.dir.linked) fail(ERRNO.NOENT); // the directory was removed under this fd
    // Every directory descriptor is its own sandbox: ".." may not climb above it.
    const result = resolvePath(dir.dir, dir.dir, path, follow);
    if (typeof result === "number") fail(result);
    return result;
  }

  private writable(fs: MemFs): void {
    if (fs.readOnly) fail(ERRNO.ROFS);
  }

  private clock(id: number): bigint {
    switch (id) {
      case CLOCKID.REALTIME:
        return this.now();
      case CLOCKID.MONOTONIC:
        return msToNs(performance.now());
      case CLOCKID.PROCESS_CPUTIME_ID:
      case CLOCKID.THREAD_CPUTIME_ID:
        // No CPU-time source on the web platform: time since the instance started.
        return msToNs(performance.now() - this.startedAt);
      default:
        fail(ERRNO.INVAL);
    }
  }

  private writeFilestat(ptr: number, dev: bigint, node: MemNode): void {
    const m = this.memory;
    m.bytes(ptr, SIZE.FILESTAT).fill(0);
    m.u64(ptr, dev);
    m.u64(ptr + 8, node.ino);
    m.u8(ptr + 16, filetypeOf(node));
    m.u64(ptr + 24, BigInt(node.nlink));
    m.u64(ptr + 32, BigInt(node.kind === "file" ? node.size : node.kind === "symlink" ? encodeUtf8(node.target).length : 4096));
    m.u64(ptr + 40, node.times.atim);
    m.u64(ptr + 48, node.times.mtim);
    m.u64(ptr + 56, node.times.ctim);
  }

  private setTimes(node: MemNode, atim: bigint, mtim: bigint, flags: number): void {
    if ((flags & FSTFLAGS.ATIM && flags & FSTFLAGS.ATIM_NOW) || (flags & FSTFLAGS.MTIM && flags & FSTFLAGS.MTIM_NOW)) {
      fail(ERRNO.INVAL);
    }
    if (flags & ~0xf) fail(ERRNO.INVAL);
    const now = this.now();
    if (flags & FSTFLAGS.ATIM) node.times.atim = atim;
    if (flags & FSTFLAGS.ATIM_NOW) node.times.atim = now;
    if (flags & FSTFLAGS.MTIM) node.times.mtim = mtim;
    if (flags & FSTFLAGS.MTIM_NOW) node.times.mtim = now;
    if (flags) node.times.ctim = now;
  }

  private readInto(entry: FdEntry, iovs: number, iovsLen: number, offset: number | undefined): number {
    if (entry.type === "stdin") {
      const chunk = entry.data.subarray(entry.position);
      const n = this.memory.scatter(iovs, iovsLen, chunk);
      entry.position += n;
      return n;
    }
    if (entry.type === "file") {
      const at = offset ?? entry.position;
      const n = this.memory.scatter(iovs, iovsLen, entry.file.view(at, MAX_IO_BYTES));
      if (offset === undefined) entry.position += n;
      return n;
    }
    if (entry.type === "dir") fail(ERRNO.ISDIR);
    fail(ERRNO.BADF); // stdout/stderr are write-only
  }

  private writeFrom(entry: FdEntry, iovs: number, iovsLen: number, offset: number | undefined): number {
    const data = this.memory.gather(iovs, iovsLen);
    if (entry.type === "output") {
      entry.sink.write(data);
      return data.length;
    }
    if (entry.type === "file") {
      this.writable(entry.fs);
      // POSIX (and Linux for pwrite too): O_APPEND writes always land at the end.
      const append = (entry.fdflags & FDFLAGS.APPEND) !== 0;
      const at = append ? entry.file.size : offset ?? entry.position;
      entry.file.write(at, data);
      if (offset === undefined) entry.position = at + data.length;
      return data.length;
    }
    if (entry.type === "dir") fail(ERRNO.ISDIR);
    fail(ERRNO.BADF); // stdin is read-only
  }

  // ---- the preview1 functions ----------------------------------------------

  private calls() {
    const m = this.memory;
    const fds = this.fds;

    return {
      args_get: (argv: number, buf: number) => m.writeStringTable(argv, buf, this.args),
      args_sizes_get: (countPtr: number, sizePtr: number) => {
        m.u32(countPtr, this.args.length);
        m.u32(sizePtr, this.args.reduce((n, a) => n + a.length + 1, 0));
      },
      environ_get: (environ: number, buf: number) => m.writeStringTable(environ, buf, this.env),
      environ_sizes_get: (countPtr: number, sizePtr: number) => {
        m.u32(countPtr, this.env.length);
        m.u32(sizePtr, this.env.reduce((n, a) => n + a.length + 1, 0));
      },

      clock_res_get: (id: number, resultPtr: number) => {
        this.clock(id); // validates the id
        m.u64(resultPtr, id === CLOCKID.REALTIME ? 1_000_000n : 1_000n);
      },
      clock_time_get: (id: number, _precision: bigint, resultPtr: number) => {
        m.u64(resultPtr, this.clock(id));
      },

      fd_advise: (fd: number, _offset: bigint, _len: bigint, advice: number) => {
        const entry = this.entry(fd, RIGHTS.FD_ADVISE);
        if (entry.type === "dir") fail(ERRNO.BADF);
        if (advice < 0 || advice > ADVICE_MAX) fail(ERRNO.INVAL);
      },
      fd_allocate: (fd: number, offset: bigint, len: bigint) => {
        const entry = this.entry(fd, RIGHTS.FD_ALLOCATE);
        if (entry.type !== "file") fail(entry.type === "dir" ? ERRNO.BADF : ERRNO.SPIPE);
        const end = offset + len;
        if (offset < 0n || len <= 0n) fail(ERRNO.INVAL);
        if (end > BigInt(MAX_IO_BYTES)) fail(ERRNO.FBIG);
        this.writable(entry.fs);
        if (Number(end) > entry.file.size) entry.file.truncate(Number(end));
      },
      fd_close: (fd: number) => {
        this.entry(fd);
        fds.delete(fd);
      },
      fd_datasync: (fd: number) => void this.entry(fd, RIGHTS.FD_DATASYNC),
      fd_sync: (fd: number) => void this.entry(fd, RIGHTS.FD_SYNC),

      fd_fdstat_get: (fd: number, ptr: number) => {
        const entry = this.entry(fd);
        m.bytes(ptr, SIZE.FDSTAT).fill(0);
        m.u8(ptr, filetypeOfFd(entry));
        m.u16(ptr + 2, entry.fdflags);
        m.u64(ptr + 8, entry.rightsBase);
        m.u64(ptr + 16, entry.rightsInheriting);
      },
      fd_fdstat_set_flags: (fd: number, flags: number) => {
        const entry = this.entry(fd, RIGHTS.FD_FDSTAT_SET_FLAGS);
        const known = FDFLAGS.APPEND | FDFLAGS.DSYNC | FDFLAGS.NONBLOCK | FDFLAGS.RSYNC | FDFLAGS.SYNC;
        if (flags & ~known) fail(ERRNO.INVAL);
        entry.fdflags = flags;
      },
      fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) => {
        const entry = this.entry(fd);
        // Rights can only ever shrink.
        if ((base & ~entry.rightsBase) !== 0n || (inheriting & ~entry.rightsInheriting) !== 0n) {
          fail(ERRNO.NOTCAPABLE);
        }
        entry.rightsBase = base;
        entry.rightsInheriting = inheriting;
      },

      fd_filestat_get: (fd: number, ptr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_FILESTAT_GET);
        if (entry.type === "file") return this.writeFilestat(ptr, entry.fs.dev, entry.file);
        if (entry.type === "dir") return this.writeFilestat(ptr, entry.fs.dev, entry.dir);
        m.bytes(ptr, SIZE.FILESTAT).fill(0);
        m.u8(ptr + 16, FILETYPE.CHARACTER_DEVICE);
        m.u64(ptr + 24, 1n);
      },
      fd_filestat_set_size: (fd: number, size: bigint) => {
        const entry = this.entry(fd, RIGHTS.FD_FILESTAT_SET_SIZE);
        if (entry.type !== "file") fail(entry.type === "dir" ? ERRNO.ISDIR : ERRNO.INVAL);
        if (size < 0n) fail(ERRNO.INVAL);
        if (size > BigInt(MAX_IO_BYTES)) fail(ERRNO.FBIG);
        this.writable(entry.fs);
        entry.file.truncate(Number(size));
      },
      fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) => {
        const entry = this.entry(fd, RIGHTS.FD_FILESTAT_SET_TIMES);
        if (entry.type !== "file" && entry.type !== "dir") fail(ERRNO.NOTSUP);
        this.writable(entry.fs);
        this.setTimes(entry.type === "file" ? entry.file : entry.dir, atim, mtim, flags);
      },

      fd_pread: (fd: number, iovs: number, iovsLen: number, offset: bigint, nreadPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_READ | RIGHTS.FD_SEEK);
        if (entry.type !== "file") fail(entry.type === "dir" ? ERRNO.ISDIR : ERRNO.SPIPE);
        if (offset < 0n) fail(ERRNO.INVAL);
        m.u32(nreadPtr, this.readInto(entry, iovs, iovsLen, clampOffset(offset)));
      },
      fd_pwrite: (fd: number, iovs: number, iovsLen: number, offset: bigint, nwrittenPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_WRITE | RIGHTS.FD_SEEK);
        if (entry.type !== "file") fail(entry.type === "dir" ? ERRNO.ISDIR : ERRNO.SPIPE);
        if (offset < 0n) fail(ERRNO.INVAL);
        if (offset > BigInt(MAX_IO_BYTES)) fail(ERRNO.FBIG);
        m.u32(nwrittenPtr, this.writeFrom(entry, iovs, iovsLen, Number(offset)));
      },
      fd_read: (fd: number, iovs: number, iovsLen: number, nreadPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_READ);
        m.u32(nreadPtr, this.readInto(entry, iovs, iovsLen, undefined));
      },
      fd_write: (fd: number, iovs: number, iovsLen: number, nwrittenPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_WRITE);
        m.u32(nwrittenPtr, this.writeFrom(entry, iovs, iovsLen, undefined));
      },

      fd_prestat_get: (fd: number, ptr: number) => {
        const entry = this.entry(fd);
        if (entry.type !== "dir" || entry.preopenName === undefined) fail(ERRNO.BADF);
        m.u32(ptr, PREOPENTYPE.DIR);
        m.u32(ptr + 4, encodeUtf8(entry.preopenName).length);
      },
      fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
        const entry = this.entry(fd);
        if (entry.type !== "dir" || entry.preopenName === undefined) fail(ERRNO.BADF);
        const name = encodeUtf8(entry.preopenName);
        if (len >>> 0 < name.length) fail(ERRNO.NAMETOOLONG);
        m.bytes(ptr, name.length).set(name);
      },

      fd_readdir: (fd: number, buf: number, bufLen: number, cookie: bigint, usedPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_READDIR);
        if (entry.type !== "dir") fail(ERRNO.NOTDIR);
        m.u32(usedPtr, this.readdir(entry, buf, bufLen >>> 0, cookie));
      },

      fd_renumber: (from: number, to: number) => {
        const entry = this.entry(from);
        this.entry(to);
        if (from >>> 0 === to >>> 0) return;
        fds.set(to, entry);
        fds.delete(from);
      },

      fd_seek: (fd: number, offset: bigint, whence: number, resultPtr: number) => {
        const needed = offset === 0n && whence === WHENCE.CUR ? RIGHTS.FD_TELL : RIGHTS.FD_SEEK;
        const entry = this.fds.get(fd);
        if (!entry) fail(ERRNO.BADF);
        if (entry.type === "dir") fail(ERRNO.BADF);
        if (entry.type !== "file") fail(ERRNO.SPIPE);
        if ((entry.rightsBase & needed) !== needed && (entry.rightsBase & RIGHTS.FD_SEEK) === 0n) {
          fail(ERRNO.NOTCAPABLE);
        }
        let base: bigint;
        if (whence === WHENCE.SET) base = 0n;
        else if (whence === WHENCE.CUR) base = BigInt(entry.position);
        else if (whence === WHENCE.END) base = BigInt(entry.file.size);
        else fail(ERRNO.INVAL);
        const target = base + offset;
        if (target < 0n) fail(ERRNO.INVAL);
        if (target > BigInt(MAX_IO_BYTES)) fail(ERRNO.FBIG);
        entry.position = Number(target);
        m.u64(resultPtr, target);
      },
      fd_tell: (fd: number, resultPtr: number) => {
        const entry = this.entry(fd, RIGHTS.FD_TELL);
        if (entry.type === "dir") fail(ERRNO.BADF);
        if (entry.type !== "file") fail(ERRNO.SPIPE);
        m.u64(resultPtr, BigInt(entry.position));
      },

      path_create_directory: (fd: number, pathPtr: number, pathLen: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_CREATE_DIRECTORY);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), false);
        if (target.node) fail(ERRNO.EXIST);
        this.writable(dir.fs);
        linkNode(target.dir, target.name, new MemDir(this.now()));
      },
      path_filestat_get: (fd: number, flags: number, pathPtr: number, pathLen: number, ptr: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_FILESTAT_GET);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), followOf(flags));
        if (!target.node) fail(ERRNO.NOENT);
        this.writeFilestat(ptr, dir.fs.dev, target.node);
      },
      path_filestat_set_times: (
        fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fst: number,
      ) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_FILESTAT_SET_TIMES);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), followOf(flags));
        if (!target.node) fail(ERRNO.NOENT);
        this.writable(dir.fs);
        this.setTimes(target.node, atim, mtim, fst);
      },
      path_link: (
        oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
      ) => {
        const from = this.dirEntry(oldFd, RIGHTS.PATH_LINK_SOURCE);
        const to = this.dirEntry(newFd, RIGHTS.PATH_LINK_TARGET);
        const source = this.resolve(from, this.path(oldPtr, oldLen), followOf(oldFlags));
        const target = this.resolve(to, this.path(newPtr, newLen), false);
        if (!source.node) fail(ERRNO.NOENT);
        if (source.node.kind === "dir") fail(ERRNO.PERM);
        if (source.mustBeDir) fail(ERRNO.NOTDIR);
        if (target.node) fail(ERRNO.EXIST);
        if (target.mustBeDir) fail(ERRNO.NOENT);
        if (from.fs.root !== to.fs.root) fail(ERRNO.XDEV);
        this.writable(to.fs);
        linkNode(target.dir, target.name, source.node);
      },
      path_open: (
        fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
        base: bigint, inheriting: bigint, fdflags: number, resultPtr: number,
      ) => {
        const opened = this.open(fd, dirflags, this.path(pathPtr, pathLen), oflags, base, inheriting, fdflags);
        m.u32(resultPtr, fds.add(opened));
      },
      path_readlink: (fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, usedPtr: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_READLINK);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), false);
        if (!target.node) fail(ERRNO.NOENT);
        if (target.node.kind !== "symlink") fail(ERRNO.INVAL);
        const bytes = encodeUtf8(target.node.target).subarray(0, bufLen >>> 0);
        m.bytes(buf, bytes.length).set(bytes);
        m.u32(usedPtr, bytes.length);
      },
      path_remove_directory: (fd: number, pathPtr: number, pathLen: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_REMOVE_DIRECTORY);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), false);
        if (target.name === ".") fail(target.node === dir.dir ? ERRNO.BUSY : ERRNO.INVAL);
        if (!target.node) fail(ERRNO.NOENT);
        if (target.node.kind !== "dir") fail(ERRNO.NOTDIR);
        if (target.node.entries.size > 0) fail(ERRNO.NOTEMPTY);
        this.writable(dir.fs);
        unlinkNode(target.dir, target.name);
      },
      path_rename: (fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
        const from = this.dirEntry(fd, RIGHTS.PATH_RENAME_SOURCE);
        const to = this.dirEntry(newFd, RIGHTS.PATH_RENAME_TARGET);
        this.rename(from, this.path(oldPtr, oldLen), to, this.path(newPtr, newLen));
      },
      path_symlink: (oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_SYMLINK);
        const linkTarget = this.path(oldPtr, oldLen);
        const target = this.resolve(dir, this.path(newPtr, newLen), false);
        if (target.node) fail(ERRNO.EXIST);
        if (target.mustBeDir) fail(ERRNO.NOENT);
        if (linkTarget === "") fail(ERRNO.NOENT);
        // An absolute target could only ever point outside the sandbox.
        if (linkTarget.startsWith("/")) fail(ERRNO.NOTCAPABLE);
        this.writable(dir.fs);
        linkNode(target.dir, target.name, new MemSymlink(linkTarget, this.now()));
      },
      path_unlink_file: (fd: number, pathPtr: number, pathLen: number) => {
        const dir = this.dirEntry(fd, RIGHTS.PATH_UNLINK_FILE);
        const target = this.resolve(dir, this.path(pathPtr, pathLen), false);
        if (!target.node) fail(ERRNO.NOENT);
        if (target.node.kind === "dir") fail(ERRNO.ISDIR);
        if (target.mustBeDir) fail(ERRNO.NOTDIR);
        this.writable(dir.fs);
        unlinkNode(target.dir, target.name);
      },

      poll_oneoff: (inPtr: number, outPtr: number, count: number, neventsPtr: number) => {
        m.u32(neventsPtr, this.poll(inPtr, outPtr, count >>> 0));
      },
      proc_exit: (code: number) => {
        throw new WasiExit(code >>> 0);
      },
      proc_raise: (_signal: number) => ERRNO.NOSYS,
      sched_yield: () => ERRNO.SUCCESS,
      random_get: (buf: number, len: number) => {
        const target = m.bytes(buf, len);
        // getRandomValues takes at most 64 KiB and refuses shared memory: fill a copy.
        const chunk = new Uint8Array(Math.min(len >>> 0, 65536));
        for (let offset = 0; offset < target.length; offset += chunk.length) {
          globalThis.crypto.getRandomValues(chunk);
          target.set(chunk.subarray(0, target.length - offset), offset);
        }
      },

      // Sockets are not offered: there is no socket a guest could have been given.
      sock_accept: (fd: number) => this.notSocket(fd),
      sock_recv: (fd: number) => this.notSocket(fd),
      sock_send: (fd: number) => this.notSocket(fd),
      sock_shutdown: (fd: number) => this.notSocket(fd),
    };
  }

  private notSocket(fd: number): number {
    this.entry(fd);
    return ERRNO.NOTSOCK;
  }

  // ---- larger operations -----------------------------------------------------

  private open(
    fd: number, dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdflags: number,
  ): FdEntry {
    const needed =
      RIGHTS.PATH_OPEN |
      (oflags & OFLAGS.CREAT ? RIGHTS.PATH_CREATE_FILE : 0n) |
      (oflags & OFLAGS.TRUNC ? RIGHTS.PATH_FILESTAT_SET_SIZE : 0n);
    const parent = this.dirEntry(fd, needed);
    const target = this.resolve(parent, path, followOf(dirflags));
    const wantsWrite = (base & (RIGHTS.FD_WRITE | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE)) !== 0n;
    let node = target.node;

    if (!node) {
      if (!(oflags & OFLAGS.CREAT)) fail(ERRNO.NOENT);
      if (oflags & OFLAGS.DIRECTORY) fail(ERRNO.INVAL);
      if (target.mustBeDir) fail(ERRNO.ISDIR);
      this.writable(parent.fs);
      node = new MemFile(new Uint8Array(0), this.now());
      linkNode(target.dir, target.name, node);
    } else {
      if (oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) fail(ERRNO.EXIST);
      // Not following a final symlink: like O_NOFOLLOW, opening it is an error.
      if (node.kind === "symlink") fail(oflags & OFLAGS.DIRECTORY ? ERRNO.NOTDIR : ERRNO.LOOP);
      if (oflags & OFLAGS.DIRECTORY && node.kind !== "dir") fail(ERRNO.NOTDIR);
      if (node.kind === "dir") {
        if (wantsWrite || oflags & (OFLAGS.TRUNC | OFLAGS.CREAT)) fail(ERRNO.ISDIR);
      } else {
        if (wantsWrite || oflags & OFLAGS.TRUNC || fdflags & FDFLAGS.APPEND) this.writable(parent.fs);
        if (oflags & OFLAGS.TRUNC) node.truncate(0);
      }
    }

    // A descriptor never gets more than its directory lets it inherit.
    const inheritable = parent.rightsInheriting;
    if (node.kind === "dir") {
      return {
        type: "dir", dir: node, fs: parent.fs, fdflags,
        rightsBase: base & inheritable & DIRECTORY_RIGHTS, rightsInheriting: inheriting & inheritable,
      };
    }
    const file: FileFd = {
      type: "file", file: node, fs: parent.fs, position: 0, fdflags,
      rightsBase: base & inheritable & FILE_RIGHTS, rightsInheriting: inheriting & inheritable,
    };
    return file;
  }

  private rename(from: DirFd, oldPath: string, to: DirFd, newPath: string): void {
    const source = this.resolve(from, oldPath, false);
    const target = this.resolve(to, newPath, false);
    const node = source.node;
    if (!node) fail(ERRNO.NOENT);
    if (source.name === "." || target.name === ".") fail(ERRNO.BUSY);
    if (from.fs.root !== to.fs.root) fail(ERRNO.XDEV);
    if (node.kind !== "dir" && (source.mustBeDir || target.mustBeDir)) fail(ERRNO.NOTDIR);
    const existing = target.node;
    if (existing === node) return; // renaming onto itself (or a hard link of itself) is a no-op
    if (existing) {
      if (node.kind === "dir") {
        if (existing.kind !== "dir") fail(ERRNO.NOTDIR);
        if (existing.entries.size > 0) fail(ERRNO.NOTEMPTY);
      } else if (existing.kind === "dir") {
        fail(ERRNO.ISDIR);
      }
    }
    if (node.kind === "dir") {
      // Moving a directory inside itself would detach it from the tree.
      for (let d: MemDir | null = target.dir; d; d = d.parent) if (d === node) fail(ERRNO.INVAL);
    }
    this.writable(to.fs);
    if (existing) unlinkNode(target.dir, target.name);
    if (node.kind === "file") node.nlink++; // keep the count right across unlink+link
    unlinkNode(source.dir, source.name);
    if (node.kind === "file") node.nlink--;
    linkNode(target.dir, target.name, node);
  }

  /** Serialize directory entries from `cookie` on; returns bytes used (== bufLen when truncated). */
  private readdir(entry: DirFd, buf: number, bufLen: number, cookie: bigint): number {
    const dir = entry.dir;
    const list: Array<[string, MemNode]> = [
      [".", dir],
      ["..", dir.parent ?? dir],
      ...dir.entries,
    ];
    const out = this.memory.bytes(buf, bufLen);
    let used = 0;
    for (let i = Number(cookie); i < list.length && used < bufLen; i++) {
      const [name, node] = list[i] as [string, MemNode];
      const nameBytes = encodeUtf8(name);
      const record = new Uint8Array(SIZE.DIRENT + nameBytes.length);
      const view = new DataView(record.buffer);
      view.setBigUint64(0, BigInt(i + 1), true); // d_next: the cookie of the next entry
      view.setBigUint64(8, node.ino, true);
      view.setUint32(16, nameBytes.length, true);
      view.setUint8(20, filetypeOf(node));
      record.set(nameBytes, SIZE.DIRENT);
      // A record that does not fit is truncated: the guest sees a full buffer and retries.
      const n = Math.min(record.length, bufLen - used);
      out.set(record.subarray(0, n), used);
      used += n;
    }
    return used;
  }

  private poll(inPtr: number, outPtr: number, count: number): number {
    if (count === 0) fail(ERRNO.INVAL);
    const m = this.memory;
    type Ready = { userdata: bigint; error: number; type: number; nbytes: bigint };
    const ready: Ready[] = [];
    const clocks: Array<{ userdata: bigint; deadline: number; error: number }> = [];

    for (let i = 0; i < count; i++) {
      const sub = inPtr + i * SIZE.SUBSCRIPTION;
      const userdata = m.getU64(sub);
      const tag = m.getU8(sub + 8);
      if (tag === EVENTTYPE.CLOCK) {
        const id = m.getU32(sub + 16);
        const timeout = m.getU64(sub + 24);
        const flags = m.getU16(sub + 40);
        let deadline: number;
        try {
          // Deadlines are kept in performance.now() milliseconds.
          const nowNs = this.clock(id);
          const waitNs = flags & SUBCLOCKFLAGS.ABSTIME ? timeout - nowNs : timeout;
          deadline = performance.now() + Number(waitNs > 0n ? waitNs : 0n) / 1e6;
        } catch (e) {
          if (!(e instanceof WasiError)) throw e;
          ready.push({ userdata, error: e.errno, type: EVENTTYPE.CLOCK, nbytes: 0n });
          continue;
        }
        clocks.push({ userdata, deadline, error: 0 });
      } else if (tag === EVENTTYPE.FD_READ || tag === EVENTTYPE.FD_WRITE) {
        const entry = this.fds.get(m.getU32(sub + 16));
        // In-memory streams never block: every valid descriptor is ready now.
        let error: number = ERRNO.SUCCESS;
        let nbytes = 0n;
        if (!entry) error = ERRNO.BADF;
        else if ((entry.rightsBase & RIGHTS.POLL_FD_READWRITE) === 0n && entry.type !== "file") error = ERRNO.NOTCAPABLE;
        else if (tag === EVENTTYPE.FD_READ) {
          if (entry.type === "stdin") nbytes = BigInt(entry.data.length - entry.position);
          else if (entry.type === "file") nbytes = BigInt(Math.max(0, entry.file.size - entry.position));
        }
        ready.push({ userdata, error, type: tag, nbytes });
      } else {
        ready.push({ userdata, error: ERRNO.INVAL, type: tag, nbytes: 0n });
      }
    }

    if (ready.length === 0 && clocks.length > 0) {
      const earliest = Math.min(...clocks.map((c) => c.deadline));
      sleepUntil(earliest);
      const now = performance.now();
      for (const c of clocks) {
        if (c.deadline <= now) ready.push({ userdata: c.userdata, error: c.error, type: EVENTTYPE.CLOCK, nbytes: 0n });
      }
    }

    ready.forEach((event, i) => {
      const at = outPtr + i * SIZE.EVENT;
      m.bytes(at, SIZE.EVENT).fill(0);
      m.u64(at, event.userdata);
      m.u16(at + 8, event.error);
      m.u8(at + 10, event.type);
      m.u64(at + 16, event.nbytes);
    });
    return ready.length;
  }
}

function followOf(lookupflags: number): boolean {
  return (lookupflags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0;
}

function filetypeOf(node: MemNode): number {
  if (node.kind === "file") return FILETYPE.REGULAR_FILE;
  if (node.kind === "dir") return FILETYPE.DIRECTORY;
  return FILETYPE.SYMBOLIC_LINK;
}

function filetypeOfFd(entry: FdEntry): number {
  if (entry.type === "file") return FILETYPE.REGULAR_FILE;
  if (entry.type === "dir") return FILETYPE.DIRECTORY;
  return FILETYPE.CHARACTER_DEVICE;
}

function clampOffset(offset: bigint): number {
  return offset > BigInt(MAX_IO_BYTES) ? MAX_IO_BYTES : Number(offset);
}

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

function realtimeNs(): bigint {
  return msToNs(performance.timeOrigin + performance.now());
}

/**
 * Block the calling thread until `deadline` (performance.now() ms). Atomics.wait
 * sleeps without burning CPU in workers and in Node; where it is unavailable
 * (a browser main thread, or no SharedArrayBuffer without cross-origin
 * isolation) we fall back to spinning.
 */
export function sleepUntil(deadline: number): void {
  const remaining = deadline - performance.now();
  if (remaining <= 0) return;
  try {
    if (typeof SharedArrayBuffer === "function") {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, remaining);
    }
  } catch {
    // Not allowed on this thread: spin below.
  }
  while (performance.now() < deadline) {
    /* spin */
  }
}
