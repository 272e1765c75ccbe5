// Bytes a guest writes become log text (guest-text.ts): what the gateway stores and the IDE preview
// shows must be the same text, so these run in Node by guest-text.test.ts and in Chromium by
// e2e/wasm-host; see host-cases.ts for the shape.
import { decodeGuestText, escapeControlChars, splitEscapes } from "./guest-text";
import { moduleOf, type HostCase } from "./host-cases";
import { runWagi } from "./run-wagi";

const of = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? Array.from(new TextEncoder().encode(p)) : p)));

export const GUEST_TEXT_CASES: HostCase[] = [
  {
    name: "guest bytes: text stays as it is, bytes that are not text become \\xHH",
    run: () => ({
      plain: decodeGuestText(of("héllo\tworld 😀 \\n {\"a\":\"b\\\"c\"}")),
      nul: decodeGuestText(of("a", [0], "b")),
      controls: decodeGuestText(of([0x1b], "[31mred", [0x07, 0x08, 0x7f], "end")),
      lineBreaks: decodeGuestText(of("lf\ncrlf\r\nlone\rcr\r")),
      invalid: decodeGuestText(of("a", [0xff, 0xfe], "b", [0xc3], "(", [0xe2, 0x82], "!")),
      overlongAndSurrogate: decodeGuestText(of([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80])),
      cutAtEnd: decodeGuestText(of("end", [0xf0, 0x9f, 0x98])),
      bom: decodeGuestText(of([0xef, 0xbb, 0xbf], "x")),
      replacementChar: decodeGuestText(of("\uFFFD")),
    }),
    expected: {
      plain: "héllo\tworld 😀 \\n {\"a\":\"b\\\"c\"}",
      nul: "a\\x00b",
      controls: "\\x1b[31mred\\x07\\x08\\x7fend",
      lineBreaks: "lf\ncrlf\r\nlone\\x0dcr\\x0d",
      invalid: "a\\xff\\xfeb\\xc3(\\xe2\\x82!",
      overlongAndSurrogate: "\\xc0\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80",
      cutAtEnd: "end\\xf0\\x9f\\x98",
      bom: "\uFEFFx",
      replacementChar: "\uFFFD",
    },
  },
  {
    name: "guest bytes: a backslash before x and two hex digits is escaped itself, so every \\xHH is a byte",
    run: () => ({
      literal: decodeGuestText(of("\\x00 \\xff \\xZZ \\x4 \\\\ C:\\Users\\xavier")),
      beforeInvalid: decodeGuestText(of("\\", [0xff], "\\x41", [0])),
      uppercase: decodeGuestText(of("\\xAB")),
    }),
    expected: {
      literal: "\\x5cx00 \\x5cxff \\xZZ \\x4 \\\\ C:\\Users\\xavier",
      beforeInvalid: "\\\\xff\\x5cx41\\x00",
      uppercase: "\\x5cxAB",
    },
  },
  {
    name: "guest bytes: text dense with escapes (another way through) comes out the same as sparse text",
    run: () => {
      // Valid UTF-8, then with one invalid byte: each way, sparse (one piece) and dense (2,000 pieces).
      const piece = of("a", [0], "é\\x41\r\n\rb\\", [0x1b], "\\q");
      const dense = (bytes: Uint8Array, times: number) => Uint8Array.from({ length: bytes.length * times }, (_, i) => bytes[i % bytes.length]!);
      const one = decodeGuestText(piece);
      return {
        one,
        valid: decodeGuestText(dense(piece, 2000)) === one.repeat(2000),
        invalid: decodeGuestText(of(Array.from(dense(piece, 2000)), [0xff])) === `${one.repeat(2000)}\\xff`,
        nuls: decodeGuestText(new Uint8Array(5000)) === "\\x00".repeat(5000),
      };
    },
    expected: { one: "a\\x00é\\x5cx41\r\n\\x0db\\\\x1b\\q", valid: true, invalid: true, nuls: true },
  },
  {
    name: "host text: control characters and unpaired UTF-16 halves made storable; guest text unchanged",
    run: () => {
      const guest = decodeGuestText(of("a", [0, 0xff], "\\x41 \\ b\r\n"));
      return {
        controls: escapeControlChars("nul\0 esc\x1b lone\rcr crlf\r\n tab\t"),
        halves: escapeControlChars("a\ud800b\udc00c\ud83d\ude00"),
        idempotent: escapeControlChars(guest) === guest,
      };
    },
    expected: {
      controls: "nul\\x00 esc\\x1b lone\\x0dcr crlf\r\n tab\t",
      halves: "a\uFFFDb\uFFFDc😀",
      idempotent: true,
    },
  },
  {
    name: "display: escape runs are told apart from text",
    run: () => ({
      mixed: splitEscapes("a\\x00\\xffb\\x5cx41"),
      none: splitEscapes("plain"),
      empty: splitEscapes(""),
    }),
    expected: {
      mixed: [
        { text: "a", escaped: false },
        { text: "\\x00\\xff", escaped: true },
        { text: "b", escaped: false },
        { text: "\\x5c", escaped: true },
        { text: "x41", escaped: false },
      ],
      none: [{ text: "plain", escaped: false }],
      empty: [{ text: "", escaped: false }],
    },
  },
  {
    name: "runWagi: stderr and the log import carry the same escapes",
    wat: {
      guest: `(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasmcompute" "log" (func $log (param i32 i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 100) "nul:\\00 bad:\\ff\\c3( esc:\\1b lit:\\\\x41\\0a")
      (data (i32.const 200) "Content-Type: text/plain\\0a\\0aok")
      (func $write (param $fd i32) (param $ptr i32) (param $len i32)
        (i32.store (i32.const 0) (local.get $ptr))
        (i32.store (i32.const 4) (local.get $len))
        (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
      (func (export "_start")
        (call $write (i32.const 2) (i32.const 100) (i32.const 29))
        (call $log (i32.const 2) (i32.const 100) (i32.const 28))
        (call $write (i32.const 1) (i32.const 200) (i32.const 28))))`,
    },
    run: (modules) => {
      const logs: string[] = [];
      const response = runWagi({
        module: moduleOf(modules, "guest"),
        request: { method: "GET", url: "http://app.test/", headers: [], body: new Uint8Array(0), remoteAddr: "", route: "/..." },
        host: { log: (level, message) => void logs.push(`${level} ${message}`) },
      });
      return { status: response.status, stderr: response.stderr, logs };
    },
    expected: {
      status: 200,
      stderr: "nul:\\x00 bad:\\xff\\xc3( esc:\\x1b lit:\\x5cx41\n",
      logs: ["warn nul:\\x00 bad:\\xff\\xc3( esc:\\x1b lit:\\x5cx41"],
    },
  },
];
