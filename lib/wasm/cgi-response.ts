// Parses what a WAGI guest printed on stdout as a CGI/1.1 response (RFC 3875
// section 6): header lines, a blank line, then the body. Guests written in any
// language get this wrong in small ways (LF vs CRLF, "Status: 404" without a
// reason, a missing blank line), so errors carry a message a user can act on.

/** Thrown by parseCgiResponse; the message says what is wrong with the output. */
export class CgiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CgiError";
  }
}

export interface CgiResponse {
  status: number;
  /** Lower-cased names, in output order; Status is consumed, never returned. */
  headers: [string, string][];
  body: Uint8Array;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const decoder = new TextDecoder();

/** Index of the blank line ending the headers, and where the body starts. */
function findHeaderEnd(out: Uint8Array): { end: number; bodyStart: number } | undefined {
  // Output may start with the blank line itself (no headers at all).
  if (out[0] === 0x0a) return { end: 0, bodyStart: 1 };
  if (out[0] === 0x0d && out[1] === 0x0a) return { end: 0, bodyStart: 2 };
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0x0a) continue;
    if (out[i + 1] === 0x0a) return { end: i, bodyStart: i + 2 };
    if (out[i + 1] === 0x0d && out[i + 2] === 0x0a) return { end: i, bodyStart: i + 3 };
  }
  return undefined;
}

export function parseCgiResponse(stdout: Uint8Array): CgiResponse {
  if (stdout.length === 0) {
    throw new CgiError("the module wrote nothing to stdout; a WAGI module must print headers (at least Content-Type), a blank line, then the body");
  }
  const split = findHeaderEnd(stdout);
  let headerText: string;
  let body: Uint8Array;
  if (split) {
    headerText = decoder.decode(stdout.subarray(0, split.end));
    body = stdout.subarray(split.bodyStart);
  } else {
    // No blank line: acceptable only if everything printed was headers (an empty body).
    headerText = decoder.decode(stdout);
    body = new Uint8Array(0);
  }

  const headers: [string, string][] = [];
  let status: number | undefined;
  const lines = headerText.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (const [i, line] of lines.entries()) {
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!HEADER_NAME.test(name)) {
      const hint = split ? "" : " (no blank line separates headers from the body)";
      throw new CgiError(`malformed header on line ${i + 1}: ${JSON.stringify(line.slice(0, 80))}${hint}`);
    }
    const value = line.slice(colon + 1).trim();
    // HTTP forbids control characters in field values (a stray CR could split a header).
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw new CgiError(`header ${JSON.stringify(name)} on line ${i + 1} holds a control character: ${JSON.stringify(value.slice(0, 80))}`);
    }
    const lower = name.toLowerCase();
    if (lower === "status") status = parseStatus(value);
    else headers.push([lower, value]);
  }

  const has = (n: string) => headers.some(([k]) => k === n);
  if (!has("content-type") && !has("location")) {
    throw new CgiError("missing Content-Type header (print e.g. \"Content-Type: text/plain\" and a blank line before the body)");
  }
  // RFC 3875 6.2.3: a Location without a Status is a client redirect.
  return { status: status ?? (has("location") ? 302 : 200), headers, body: body.slice() };
}

function parseStatus(value: string): number {
  const match = /^(\d{3})(?:\s.*)?$/.exec(value);
  const code = match ? Number(match[1]) : NaN;
  if (!(code >= 100 && code <= 999)) {
    throw new CgiError(`invalid Status header ${JSON.stringify(value)}: expected a 3-digit code like "404 Not Found"`);
  }
  // A 1xx is an interim answer (100 Continue, 101 Switching Protocols): the server would still owe
  // the client a final response, and sent as the only one it breaks the connection's framing.
  if (code < 200) {
    throw new CgiError(`Status ${code} is an interim (1xx) response, not a final one: print a final status (200 to 599) such as "200 OK"`);
  }
  return code;
}
