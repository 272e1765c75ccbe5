// Direct tests of the preview1 imports (called from JS on a bare Memory), for
// behaviour the wasi-testsuite does not pin down.
import { describe, expect, it } from "vitest";
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
  const put = (ptr: number, text: string) => {
    const b = new TextEncoder().encode(text);
    new Uint8Array(memory.buffer, ptr, b.length).set(b);
    return b.length;
  };
  return { host, memory, call, view, put };
}

describe("WasiHost", () => {
  it("reads the injected realtime clock and validates clock ids", () => {
    const { call, view } = setup({ now: () => 123_456_789n });
    expect(call("clock_time_get", CLOCKID.REALTIME, 0n, 64)).toBe(ERRNO.SUCCESS);
    expect(view().getBigUint64(64, true)).toBe(123_456_789n);
    expect(call("clock_time_get", 9, 0n, 64)).toBe(ERRNO.INVAL);
    expect(call("clock_res_get", CLOCKID.MONOTONIC, 64)).toBe(ERRNO.SUCCESS);
    expect(view().getBigUint64(64, true)).toBeGreaterThan(0n);
  });

  it("poll_oneoff sleeps for a relative clock subscription", () => {
    const { call, view } = setup();
    const v = view();
    v.setBigUint64(0, 42n, true); // userdata
    v.setUint8(8, 0); // clock
    v.setUint32(16, CLOCKID.MONOTONIC, true);
    v.setBigUint64(24, 20_000_000n, true); // 20 ms
    const start = performance.now();
    expect(call("poll_oneoff", 0, 256, 1, 512)).toBe(ERRNO.SUCCESS);
    expect(performance.now() - start).toBeGreaterThanOrEqual(19);
    expect(view().getUint32(512, true)).toBe(1);
    expect(view().getBigUint64(256, true)).toBe(42n);
    expect(call("poll_oneoff", 0, 256, 0, 512)).toBe(ERRNO.INVAL);
  });

  it("fd_readdir resumes from cookies when the buffer is small", () => {
    const fs = MemFs.fromEntries({ "a.txt": "a", "b.txt": "bb", "sub/": "" });
    const { call, view, memory } = setup({ preopens: { "/": fs } });
    const names: string[] = [];
    let cookie = 0n;
    for (let guard = 0; guard < 50; guard++) {
      expect(call("fd_readdir", 3, 1024, 40, cookie, 16)).toBe(ERRNO.SUCCESS);
      const used = view().getUint32(16, true);
      // Take every complete entry; a truncated one is re-read from its cookie.
      let at = 1024;
      let progressed = false;
      while (at + 24 <= 1024 + used) {
        const namlen = view().getUint32(at + 16, true);
        if (at + 24 + namlen > 1024 + used) break;
        names.push(new TextDecoder().decode(new Uint8Array(memory.buffer, at + 24, namlen)));
        cookie = view().getBigUint64(at, true);
        at += 24 + namlen;
        progressed = true;
      }
      if (used < 40 && !progressed) break;
      if (used < 40 && at === 1024 + used) break;
    }
    expect(names).toEqual([".", "..", "a.txt", "b.txt", "sub"]);
  });

  it("refuses to leave the preopen and to write a read-only tree", () => {
    const fs = MemFs.fromEntries({ "index.html": "x" }, { readOnly: true });
    const { call, put } = setup({ preopens: { "/app": fs } });
    const open = (path: string, oflags: number, rights: bigint) => {
      const len = put(2048, path);
      return call("path_open", 3, 0, 2048, len, oflags, rights, 0n, 0, 4096);
    };
    expect(open("../secret", 0, RIGHTS.FD_READ)).toBe(ERRNO.NOTCAPABLE);
    expect(open("/etc/passwd", 0, RIGHTS.FD_READ)).toBe(ERRNO.NOTCAPABLE);
    expect(open("index.html", 0, RIGHTS.FD_READ)).toBe(ERRNO.SUCCESS);
    expect(open("index.html", 0, RIGHTS.FD_WRITE)).toBe(ERRNO.ROFS);
    expect(open("new.txt", OFLAGS.CREAT, RIGHTS.FD_WRITE)).toBe(ERRNO.ROFS);
    const len = put(2048, "dir");
    expect(call("path_create_directory", 3, 2048, len)).toBe(ERRNO.ROFS);
    const len2 = put(2048, "index.html");
    expect(call("path_unlink_file", 3, 2048, len2)).toBe(ERRNO.ROFS);
    expect(fs.readFile("index.html")).toEqual(new TextEncoder().encode("x"));
  });

  it("keeps writes to a writable tree in memory", () => {
    const fs = new MemFs();
    const { call, put, view } = setup({ preopens: { "/data": fs } });
    const len = put(2048, "out.txt");
    expect(call("path_open", 3, 0, 2048, len, OFLAGS.CREAT, RIGHTS.FD_WRITE, 0n, 0, 4096)).toBe(ERRNO.SUCCESS);
    const fd = view().getUint32(4096, true);
    const n = put(3000, "saved");
    view().setUint32(0, 3000, true);
    view().setUint32(4, n, true);
    expect(call("fd_write", fd, 0, 1, 8)).toBe(ERRNO.SUCCESS);
    expect(new TextDecoder().decode(fs.readFile("out.txt"))).toBe("saved");
  });

  it("answers bad guest pointers with EFAULT instead of throwing", () => {
    const { call } = setup();
    expect(call("fd_write", 1, 0x7fff_fff0, 1, 8)).toBe(ERRNO.FAULT);
    expect(call("args_sizes_get", 0x7fff_fff0, 0)).toBe(ERRNO.FAULT);
    expect(call("random_get", 10, 0x7fff_ffff)).toBe(ERRNO.FAULT);
  });

  it("fills large random buffers (getRandomValues takes 64 KiB at a time)", () => {
    const { call, memory } = setup();
    expect(call("random_get", 0, 100_000)).toBe(ERRNO.SUCCESS);
    const tail = new Uint8Array(memory.buffer, 90_000, 10_000);
    expect(tail.some((b) => b !== 0)).toBe(true);
  });

  it("offers no sockets", () => {
    const { call } = setup();
    expect(call("sock_accept", 1, 0, 0)).toBe(ERRNO.NOTSOCK);
    expect(call("sock_shutdown", 99, 0)).toBe(ERRNO.BADF);
  });
});
