// Bytes a guest writes (stderr, the log import) become log text here, in the gateway and in the
// IDE preview alike, so both show the same thing and the database can always store it.
//
// The text is the bytes read as UTF-8, except that each byte which is not part of printable text
// is written as `\xHH` (two lowercase hex digits): NUL, the other control characters (tab, line
// feed and a CR right before a line feed excepted; an ESC would drive a terminal running
// `wasmcompute logs`), DEL, and every byte of an invalid UTF-8 sequence. A backslash the guest
// wrote stays a backslash, unless it is followed by `x` and two hex digits: then it is written as
// `\x5c`, so every `\xHH` in a log line stands for exactly one byte and the bytes can be told
// apart from text that merely looks like an escape. docs/logs.md describes this for users.

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => `\\x${b.toString(16).padStart(2, "0")}`);
const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** Control characters and UTF-16 code units no UTF-8 can encode: what escapeControlChars rewrites. */
const UNSTORABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");
/** One or more escapes in a row, as decodeGuestText writes them. */
const ESCAPES = /(?:\\x[0-9a-f]{2})+/g;

// ignoreBOM: a leading BOM is text the guest wrote, kept rather than eaten.
/** Throws on invalid UTF-8, which then takes escapeBytes. */
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** For bytes made valid UTF-8 first. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** Runs of characters escapeText looks at: controls but tab and LF, DEL, backslashes (a plain class: scans fast). */
const SUSPECTS = /[\x00-\x08\x0b-\x1f\x7f\\]+/g;

const isHex = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/**
 * The bytes a guest wrote, as log text (see the top of this file). Never throws. Valid UTF-8 is
 * decoded natively and the few characters to escape are cut in; other bytes, or text dense with
 * escapes, take one pass over the bytes. A MiB of stderr costs milliseconds, some tens of them
 * when it is nothing but bytes to escape (measured; the gateway's and the preview's cost alike).
 */
export function decodeGuestText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    return escapeBytes(bytes);
  }
  return escapeText(text, bytes);
}

/** Escapes past which a text is dense with them, and escapeBytes is the quicker way. */
const SPARSE = 1024;

/** Valid UTF-8 text with what decodeGuestText escapes escaped: a scan for suspects, then slices. */
function escapeText(text: string, bytes: Uint8Array): string {
  SUSPECTS.lastIndex = 0;
  let match = SUSPECTS.exec(text);
  let out = "";
  let last = 0;
  let escapes = 0;
  while (match) {
    for (let k = match.index, end = k + match[0].length; k < end; k++) {
      const c = text.charCodeAt(k);
      // Past the end charCodeAt is NaN: a CR there is lone, a backslash there starts no look-alike.
      const escape =
        c === 0x5c ? text.charCodeAt(k + 1) === 0x78 && isHex(text.charCodeAt(k + 2)) && isHex(text.charCodeAt(k + 3))
        : c === 0x0d ? text.charCodeAt(k + 1) !== 0x0a
        : true;
      if (escape) {
        if (++escapes > SPARSE) return escapeBytes(bytes);
        out += text.slice(last, k) + HEX[c];
        last = k + 1;
      }
    }
    match = SUSPECTS.exec(text);
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Any bytes, one pass: the text between escapes is copied in whole runs, then decoded once. */
function escapeBytes(bytes: Uint8Array): string {
  const n = bytes.length;
  // Enough if every byte is escaped: at most 4 MiB for the MiB of stderr a request keeps.
  const out = new Uint8Array(n * 4);
  let o = 0;
  /** Where the bytes kept since the last escape start. */
  let run = 0;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    // How many bytes from i are text to keep as they are; 0: escape the byte at i.
    let keep: number;
    if (b >= 0x20 && b < 0x7f) keep = b === 0x5c && bytes[i + 1] === 0x78 && isHex(bytes[i + 2]) && isHex(bytes[i + 3]) ? 0 : 1;
    else if (b < 0x80) keep = b === 0x09 || b === 0x0a || (b === 0x0d && bytes[i + 1] === 0x0a) ? 1 : 0;
    else keep = sequenceLength(bytes, i);
    if (keep > 0) {
      i += keep;
      continue;
    }
    if (i - run > 16) out.set(bytes.subarray(run, i), o);
    else for (let k = run; k < i; k++) out[o + k - run] = bytes[k]!;
    o += i - run;
    out[o++] = 0x5c; // \
    out[o++] = 0x78; // x
    out[o++] = HEX_DIGITS[b >> 4]!;
    out[o++] = HEX_DIGITS[b & 15]!;
    run = ++i;
  }
  out.set(bytes.subarray(run, n), o);
  return utf8.decode(out.subarray(0, o + (n - run)));
}

const inRange = (c: number | undefined, lo: number, hi: number) => c !== undefined && c >= lo && c <= hi;

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b >= 0xc2 && b <= 0xdf) return inRange(bytes[i + 1], 0x80, 0xbf) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const second = b === 0xe0 ? inRange(bytes[i + 1], 0xa0, 0xbf) : b === 0xed ? inRange(bytes[i + 1], 0x80, 0x9f) : inRange(bytes[i + 1], 0x80, 0xbf);
    return second && inRange(bytes[i + 2], 0x80, 0xbf) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const second = b === 0xf0 ? inRange(bytes[i + 1], 0x90, 0xbf) : b === 0xf4 ? inRange(bytes[i + 1], 0x80, 0x8f) : inRange(bytes[i + 1], 0x80, 0xbf);
    return second && inRange(bytes[i + 2], 0x80, 0xbf) && inRange(bytes[i + 3], 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

const escapeUnstorable = (c: string): string => (c.charCodeAt(0) < 0x80 ? HEX[c.charCodeAt(0)]! : "\uFFFD");

/**
 * Text that did not come through decodeGuestText (the host's own messages, which may quote what a
 * guest named, such as a route's entrypoint), made storable and visible the same way: control
 * characters as `\xHH`, UTF-16 halves without their pair as U+FFFD. Text decodeGuestText wrote
 * comes back unchanged, so this can run over anything just before it is stored.
 */
export function escapeControlChars(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, escapeUnstorable) : text;
}

/** Log text cut in runs of plain text and runs of `\xHH` escapes, so a display can set the escapes off. */
export function splitEscapes(text: string): { text: string; escaped: boolean }[] {
  const parts: { text: string; escaped: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(ESCAPES)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), escaped: false });
    parts.push({ text: match[0], escaped: true });
    last = match.index + match[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), escaped: false });
  return parts;
}
