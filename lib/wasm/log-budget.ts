// One budget per request for what a guest logs: its stderr and its calls of the `log` import
// together. The host keeps at most the budget while the guest runs (bytes past it are counted, never
// decoded or held), and the lines it hands on are already what the logs store (docs/logs.md): the
// gateway's JSON line on stdout, the database and the IDE preview all get the same bounded lines,
// the last of which says what was dropped. Without it, 20 log calls of 1 MiB each became 20 MiB on
// the gateway's stdout while the database kept 8 KiB of each.
import { decodeGuestText } from "./guest-text";

export interface GuestLogLimits {
  /** Bytes the guest wrote (stderr and log messages together) that a request keeps. */
  bytes: number;
  /** Lines a request keeps (stderr lines first, then log lines, as they are stored), the last-line note included. */
  lines: number;
  /** Characters of one line (longer lines are cut, saying how many characters were left out). */
  lineChars: number;
}

/** What one request keeps; the log sink (lib/logs/log-sink.ts) stores lines of the same bounds. */
export const GUEST_LOG_LIMITS: GuestLogLimits = { bytes: 1024 * 1024, lines: 200, lineChars: 8192 };

export interface GuestLogLine {
  level: string;
  message: string;
}

/** Longest UTF-8 encoding of one UTF-16 character: how many bytes of a message can fill a line. */
const MAX_BYTES_PER_CHAR = 4;

/**
 * `text` cut to at most `max` characters, the note of how many were left out included, never
 * inside a surrogate pair or a `\xHH` escape (the cut the log sink makes, so a line cut here is
 * stored as it is).
 */
export function cutLogLine(text: string, max: number): string {
  if (text.length <= max) return text;
  // The note "… (N more characters)" is 20 characters and the digits of N: the fewest digits
  // for which the cut fits leaves the most text.
  for (let digits = 1; ; digits++) {
    let end = Math.max(0, max - 20 - digits);
    const backslash = text.lastIndexOf("\\", end - 1);
    if (backslash >= 0 && backslash > end - 4 && /^\\x[0-9a-fA-F]{2}/.test(text.slice(backslash, backslash + 4))) end = backslash;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    if (String(text.length - end).length <= digits || end === 0) return `${text.slice(0, end)}… (${text.length - end} more characters)`;
  }
}

/** Where `n` bytes of UTF-8 may be cut without splitting a character (the start of the one `n` is in). */
function utf8Boundary(bytes: Uint8Array, n: number): number {
  if (n >= bytes.length) return bytes.length;
  let end = n;
  // Continuation bytes (10xxxxxx) belong to a character that started before them.
  while (end > 0 && end > n - 3 && (bytes[end]! & 0xc0) === 0x80) end--;
  return (bytes[end]! & 0xc0) === 0x80 ? n : end;
}

export class LogBudget {
  /** Bytes still to keep; stderr (its OutputSink) and the log import both take from it. */
  left: number;
  private readonly logs: GuestLogLine[] = [];
  private droppedBytes = 0;
  private droppedLines = 0;

  constructor(readonly limits: GuestLogLimits = GUEST_LOG_LIMITS) {
    this.left = limits.bytes;
  }

  /** A call of the log import with the guest's message bytes (a view of its memory, read here once). */
  log(level: string, message: Uint8Array): void {
    if (this.logs.length >= this.limits.lines || (this.left <= 0 && message.length > 0)) {
      this.droppedLines++;
      this.droppedBytes += message.length;
      return;
    }
    // No more than a line can show, and no more than the budget has left.
    const take = utf8Boundary(message, Math.min(message.length, this.left, this.limits.lineChars * MAX_BYTES_PER_CHAR));
    this.left -= take;
    this.droppedBytes += message.length - take;
    this.logs.push({ level, message: decodeGuestText(message.subarray(0, take)) });
  }

  /** A line of the host's own (a failed key-value call), counted like the guest's. */
  note(level: string, text: string): void {
    if (this.logs.length >= this.limits.lines) {
      this.droppedLines++;
      return;
    }
    this.left -= Math.min(this.left, text.length);
    this.logs.push({ level, message: text });
  }

  /**
   * What to keep: stderr's lines (split at LF or CRLF) then the log lines, at most `lines` of
   * them, each at most `lineChars` characters, and when anything was left out a last `warn`
   * line saying what. `stderr` is what its sink kept, `stderrDropped` the bytes it did not.
   */
  finish(stderr: Uint8Array, stderrDropped: number): { stderr: string; logs: GuestLogLine[] } {
    const { lines: maxLines, lineChars } = this.limits;
    const stderrText = stderr.length > 0 ? decodeGuestText(stderr) : "";
    let stderrLines: string[] = [];
    if (stderrText) {
      stderrLines = stderrText.split(/\r?\n/);
      if (stderrLines[stderrLines.length - 1] === "") stderrLines.pop();
    }
    const stderrCount = stderrLines.length;
    let droppedLines = this.droppedLines;
    let droppedBytes = this.droppedBytes + stderrDropped;
    let logs = this.logs;
    let room = maxLines;
    if (stderrLines.length + logs.length > room || droppedLines > 0 || droppedBytes > 0) room = maxLines - 1; // for the note
    // Lines left out here were read: their length (in characters, near enough) counts as dropped bytes.
    if (stderrLines.length > room) {
      droppedLines += stderrLines.length - room;
      for (const line of stderrLines.slice(room)) droppedBytes += line.length + 1;
      stderrLines = stderrLines.slice(0, room);
    }
    if (logs.length > room - stderrLines.length) {
      droppedLines += logs.length - (room - stderrLines.length);
      for (const line of logs.slice(room - stderrLines.length)) droppedBytes += line.message.length;
      logs = logs.slice(0, room - stderrLines.length);
    }
    let cut = 0;
    const bound = (text: string) => {
      if (text.length <= lineChars) return text;
      cut++;
      return cutLogLine(text, lineChars);
    };
    stderrLines = stderrLines.map(bound);
    const stderrCut = cut;
    logs = logs.map((l) => (l.message.length <= lineChars ? l : { level: l.level, message: bound(l.message) }));
    if (droppedLines > 0 || droppedBytes > 0) {
      const what = [droppedLines > 0 ? `${droppedLines} more line${droppedLines === 1 ? "" : "s"}` : "", droppedBytes > 0 ? `${droppedBytes} more bytes` : ""];
      logs.push({
        level: "warn",
        message:
          `[${what.filter(Boolean).join(" and ")} of stderr and log output dropped${cut > 0 ? `, ${cut} long line${cut === 1 ? "" : "s"} cut` : ""}: ` +
          `a request keeps ${maxLines} lines of ${lineChars} characters, ${this.limits.bytes} bytes in all]`,
      });
    }
    // Stderr as the guest wrote it when all of it is kept, else the kept lines (the text is split
    // into the same lines either way, lib/runtime/gateway.ts).
    const kept = stderrLines.length === stderrCount && stderrCut === 0 ? stderrText : stderrLines.map((l) => `${l}\n`).join("");
    return { stderr: kept, logs };
  }
}
