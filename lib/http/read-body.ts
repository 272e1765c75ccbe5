// Request bodies are read as a stream against a byte limit: a declared Content-Length over the
// limit is refused before a byte is read, and a body without one (chunked) is refused as soon as
// its bytes pass the limit, so no route ever holds more than its limit of someone's upload.
// `req.text()`, `req.json()` and `req.formData()` read everything first; route handlers use
// readJson (lib/http/route.ts) or readPublishForm instead.
import { AppError } from "@/lib/errors";

/** "64 KiB", "2 MiB", "1.5 MiB", "100 bytes": a limit as people read it. */
export function describeBytes(n: number): string {
  for (const [size, unit] of [
    [1024 ** 3, "GiB"],
    [1024 ** 2, "MiB"],
    [1024, "KiB"],
  ] as const) {
    if (n >= size) {
      const value = n / size;
      return `${Number.isInteger(value) ? value : Number(value.toFixed(2))} ${unit}`;
    }
  }
  return `${n} bytes`;
}

/** The Content-Length the client declared, or undefined without a valid one. */
export function declaredLength(req: Request): number | undefined {
  const header = req.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${describeBytes(maxBytes)}, this route's limit. Send a smaller body.`);
}

/**
 * The whole body, at most `maxBytes` of it; past that `tooLarge()` is thrown without reading the
 * rest (the server discards what the client still sends once the answer is out).
 */
export async function readBodyBytes(req: Request, maxBytes: number, tooLarge: () => AppError = () => bodyTooLarge(maxBytes)): Promise<Uint8Array> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
