// What a guest prints, bounded and checked through a real gateway (issue #13): its log output stays
// within one per-request budget on the way to the gateway's JSON line and to the database (item 8),
// and a 1xx Status is refused as bad CGI instead of breaking the connection's framing (item 11).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toRow } from "@/lib/logs/log-sink";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";
import { watToBinary } from "@/lib/wasm/test-support/compile-wat";
import { GUEST_LOG_LIMITS } from "../wasm";
import { createFolderRegistry } from "./folder-registry";
import { createGateway, type Gateway } from "./gateway";
import type { RequestLog } from "../deployment-record/ports";
import { WorkerPool } from "./worker-pool";

const MiB = 1024 * 1024;

/** Writes three stderr lines, calls the log import 20 times with 1 MiB each (the reproduction), then answers. */
const LOG_FLOOD_THEN_ANSWER = `(module
  (import "wasmcompute" "log" (func $log (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 17)
  (data (i32.const 512) "Content-Type: text/plain\\n\\nanswered\\n")
  (data (i32.const 1024) "e\\ne\\ne\\n")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $i i32)
    (call $write (i32.const 2) (i32.const 1024) (i32.const 6))
    (memory.fill (i32.const 65536) (i32.const 108) (i32.const 1048576))
    (loop $logs
      (call $log (i32.const 1) (i32.const 65536) (i32.const 1048576))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $logs (i32.lt_u (local.get $i) (i32.const 20))))
    (call $write (i32.const 1) (i32.const 512) (i32.const 35))))`;

const status = (line: string) => `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 512) "${line}")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 512))
    (i32.store (i32.const 4) (i32.const ${Buffer.byteLength(line.replaceAll("\\n", "\n").replaceAll("\\r", "\r"))}))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`;

const APPS: Record<string, string> = {
  "log-flood": LOG_FLOOD_THEN_ANSWER,
  continue: status("Status: 100 Continue\\nContent-Type: text/plain\\n\\nnot final\\n"),
  upgrade: status("Status: 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nContent-Type: text/plain\\r\\n\\r\\n"),
};

let dir: string;
let gateway: Gateway;
let base: string;
/** Each request's record as the gateway prints it on stdout (GATEWAY_LOG=json, scripts/gateway.ts). */
const jsonLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "guest-output-"));
  for (const [app, wat] of Object.entries(APPS)) {
    mkdirSync(path.join(dir, "demo", app), { recursive: true });
    writeFileSync(path.join(dir, "demo", app, "module.wasm"), await watToBinary(wat));
  }
  gateway = await createGateway({
    resolve: createFolderRegistry({ dir }).resolve,
    poolOptions: { size: 2 },
    onLog: (record) => jsonLines.push(JSON.stringify(record)),
  });
  await new Promise<void>((resolve) => gateway.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

function recordOf(res: Response): { json: string; record: RequestLog } {
  const json = jsonLines.find((line) => line.includes(res.headers.get("x-request-id")!))!;
  return { json, record: JSON.parse(json) as RequestLog };
}

describe("one log budget per request: stderr and the log import together", () => {
  it("20 log lines of 1 MiB: the JSON line holds lines of 8192 characters, not 20 MiB, and the database gets the same lines", async () => {
    const res = await fetchApp(appUrl(base, "demo", "log-flood"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("answered\n");
    const { json, record } = recordOf(res);
    // 20 lines of at most 8192 characters and a few short ones: 160 KiB and change, where it was 20 MiB.
    expect(json.length).toBeLessThan(21 * GUEST_LOG_LIMITS.lineChars);
    expect(record.stderr).toEqual(["e", "e", "e"]);
    expect(record.guestLogs).toHaveLength(21);
    for (const line of record.guestLogs.slice(0, 20)) {
      expect(line).toEqual({ level: "info", message: `${"l".repeat(8167)}… (24601 more characters)` });
    }
    // The last line says what was dropped: each message past the 32 KiB a line can show.
    expect(record.guestLogs[20]).toEqual({
      level: "warn",
      message: `[${20 * (MiB - 32 * 1024)} more bytes of stderr and log output dropped, 20 long lines cut: a request keeps 200 lines of 8192 characters, 1048576 bytes in all]`,
    });

    // The database stores exactly these lines (toRow is what the log sink writes), none cut again.
    const row = toRow({ ...record, tenantId: "00000000-0000-4000-8000-000000000001", requestId: "00000000-0000-4000-8000-000000000002" })!;
    expect(row.lines.map((l) => l.message)).toEqual([...record.stderr, ...record.guestLogs.map((l) => l.message)]);
  });
});

describe("a 1xx Status from a guest", () => {
  it.each(["continue", "upgrade"])("%s: 502 bad-cgi-response, a well-framed answer, and the connection serves the next request", async (app) => {
    const res = await fetchApp(appUrl(base, "demo", app));
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad-cgi-response");
    expect(body.error.message).toMatch(/Status 10[01] is an interim \(1xx\) response, not a final one/);
    expect(recordOf(res).record.error?.code).toBe("bad-cgi-response");
    expect((await fetchApp(appUrl(base, "demo", app))).status).toBe(502);
  });
});
