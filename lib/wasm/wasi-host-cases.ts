// Direct tests of the preview1 imports (called from JS on a bare Memory), for behaviour the
// wasi-testsuite does not pin down. Run in Node by wasi-host.test.ts and in Chromium by
// e2e/wasm-host; see host-cases.ts for the shape.
import { text, type HostCase } from "./host-cases";
import { MemFs } from "./mem-fs";
import { CLOCKID, ERRNO, OFLAGS, RIGHTS } from "./wasi-constants";
import { WasiHost, type WasiHostOptions } from "./wasi-host";

type Call = (...args: Array<number | bigint>) => number;

function setup(options: WasiHostOptions = {}) {
  const host = new WasiHost(options);
  const memory = new WebAssembly.Memory({ initial: 2 });
  host.memory.attach(memory);
  const imports = host.imports() as unknown as Record<string, Call>;
  const call = (name: string, ...args: Array<number | bigint>) => (imports[name] as Call)(...args);
  const view = () => new DataView(memory.buffer);
  const put = (ptr: number, s: string) => {
    const b = new TextEncoder().encode(s);
    new Uint8Array(memory.buffer, ptr, b.length).set(b);
    return b.length;
  };
  return { host, memory, call, view, put };
}

export const WASI_HOST_CASES: HostCase[] = [
  {
    name: "reads the injected realtime clock and validates clock ids",
    run: () => {
      const { call, view } = setup({ now: () => 123_456_789n });
      const realtime = call("clock_time_get", CLOCKID.REALTIME, 0n, 64);
      const realtimeNs = String(view().getBigUint64(64, true));
      const unknownClock = call("clock_time_get", 9, 0n, 64);
      const resolution = call("clock_res_get", CLOCKID.MONOTONIC, 64);
      return { realtime, realtimeNs, unknownClock, resolution, resolutionPositive: view().getBigUint64(64, true) > 0n };
    },
    expected: { realtime: ERRNO.SUCCESS, realtimeNs: "123456789", unknownClock: ERRNO.INVAL, resolution: ERRNO.SUCCESS, resolutionPositive: true },
  },
  {
    name: "poll_oneoff sleeps for a relative clock subscription",
    run: () => {
      const { call, view } = setup();
      const v = view();
      v.setBigUint64(0, 42n, true); // userdata
      v.setUint8(8, 0); // clock
      v.setUint32(16, CLOCKID.MONOTONIC, true);
      v.setBigUint64(24, 20_000_000n, true); // 20 ms
      const start = performance.now();
      const errno = call("poll_oneoff", 0, 256, 1, 512);
      const sleptAtLeast19ms = performance.now() - start >= 19;
      const nevents = view().getUint32(512, true);
      const userdata = String(view().getBigUint64(256, true));
      return { errno, sleptAtLeast19ms, nevents, userdata, noSubscriptions: call("poll_oneoff", 0, 256, 0, 512) };
    },
    expected: { errno: ERRNO.SUCCESS, sleptAtLeast19ms: true, nevents: 1, userdata: "42", noSubscriptions: ERRNO.INVAL },
  },
  {
    name: "fd_readdir resumes from cookies when the buffer is small",
    run: () => {
      const fs = MemFs.fromEntries({ "a.txt": "a", "b.txt": "bb", "sub/": "" });
      const { call, view, memory } = setup({ preopens: { "/": fs } });
      const names: string[] = [];
      const failures: number[] = [];
      let cookie = 0n;
      for (let guard = 0; guard < 50; guard++) {
        const errno = call("fd_readdir", 3, 1024, 40, cookie, 16);
        if (errno !== ERRNO.SUCCESS) {
          failures.push(errno);
          break;
        }
        const used = view().getUint32(16, true);
        // Take every complete entry; a truncated one is re-read from its cookie.
        let at = 1024;
        let progressed = false;
        while (at + 24 <= 1024 + used) {
          const namlen = view().getUint32(at + 16, true);
          if (at + 24 + namlen > 1024 + used) break;
          names.push(text(new Uint8Array(memory.buffer, at + 24, namlen)));
          cookie = view().getBigUint64(at, true);
          at += 24 + namlen;
          progressed = true;
        }
        if (used < 40 && !progressed) break;
        if (used < 40 && at === 1024 + used) break;
      }
      return { failures, names };
    },
    expected: { failures: [], names: [".", "..", "a.txt", "b.txt", "sub"] },
  },
  {
    name: "refuses to leave the preopen and to write a read-only tree",
    run: () => {
      const fs = MemFs.fromEntries({ "index.html": "x" }, { readOnly: true });
      const { call, put } = setup({ preopens: { "/app": fs } });
      const open = (path: string, oflags: number, rights: bigint) => {
        const len = put(2048, path);
        return call("path_open", 3, 0, 2048, len, oflags, rights, 0n, 0, 4096);
      };
      const pathCall = (name: string, path: string) => call(name, 3, 2048, put(2048, path));
      const errnos = {
        dotDot: open("../secret", 0, RIGHTS.FD_READ),
        absolute: open("/etc/passwd", 0, RIGHTS.FD_READ),
        read: open("index.html", 0, RIGHTS.FD_READ),
        write: open("index.html", 0, RIGHTS.FD_WRITE),
        create: open("new.txt", OFLAGS.CREAT, RIGHTS.FD_WRITE),
        mkdir: pathCall("path_create_directory", "dir"),
        unlink: pathCall("path_unlink_file", "index.html"),
      };
      const file = fs.readFile("index.html");
      return { ...errnos, unchanged: file === undefined ? null : text(file) };
    },
    expected: {
      dotDot: ERRNO.NOTCAPABLE, absolute: ERRNO.NOTCAPABLE, read: ERRNO.SUCCESS, write: ERRNO.ROFS,
      create: ERRNO.ROFS, mkdir: ERRNO.ROFS, unlink: ERRNO.ROFS, unchanged: "x",
    },
  },
  {
    name: "keeps writes to a writable tree in memory",
    run: () => {
      const fs = new MemFs();
      const { call, put, view } = setup({ preopens: { "/data": fs } });
      const len = put(2048, "out.txt");
      const open = call("path_open", 3, 0, 2048, len, OFLAGS.CREAT, RIGHTS.FD_WRITE, 0n, 0, 4096);
      const fd = view().getUint32(4096, true);
      const n = put(3000, "saved");
      view().setUint32(0, 3000, true);
      view().setUint32(4, n, true);
      const write = call("fd_write", fd, 0, 1, 8);
      const file = fs.readFile("out.txt");
      return { open, write, saved: file === undefined ? null : text(file) };
    },
    expected: { open: ERRNO.SUCCESS, write: ERRNO.SUCCESS, saved: "saved" },
  },
  {
    name: "answers bad guest pointers with EFAULT instead of throwing",
    run: () => {
      const { call } = setup();
      return [call("fd_write", 1, 0x7fff_fff0, 1, 8), call("args_sizes_get", 0x7fff_fff0, 0), call("random_get", 10, 0x7fff_ffff)];
    },
    expected: [ERRNO.FAULT, ERRNO.FAULT, ERRNO.FAULT],
  },
  {
    name: "fills large random buffers (getRandomValues takes 64 KiB at a time)",
    run: () => {
      const { call, memory } = setup();
      const errno = call("random_get", 0, 100_000);
      const tail = new Uint8Array(memory.buffer, 90_000, 10_000);
      return { errno, tailFilled: tail.some((b) => b !== 0) };
    },
    expected: { errno: ERRNO.SUCCESS, tailFilled: true },
  },
  {
    name: "offers no sockets",
    run: () => {
      const { call } = setup();
      return { accept: call("sock_accept", 1, 0, 0), shutdownUnknownFd: call("sock_shutdown", 99, 0) };
    },
    expected: { accept: ERRNO.NOTSOCK, shutdownUnknownFd: ERRNO.BADF },
  },
];
