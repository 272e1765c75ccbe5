// A multipart/form-data body built by hand so it can be streamed: files are read from disk as the
// connection drains them (a large module never sits in memory), the total length is known up
// front (Content-Length, so the server can refuse an oversized upload early), and every chunk
// handed to fetch is reported for the progress line.
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { CliError } from "./exit-codes";

export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; contentType?: string; source: string; size: number }
  | { name: string; filename: string; contentType?: string; data: Uint8Array };

export interface MultipartBody {
  boundary: string;
  contentType: string;
  /** Exact byte length of the whole body. */
  length: number;
  /** A fresh stream of the body; `onProgress` sees the running byte count. */
  stream(onProgress?: (sent: number, total: number) => void): ReadableStream<Uint8Array>;
}

const CRLF = "\r\n";
const CHUNK_SIZE = 256 * 1024;

/** Quotes a header parameter the way browsers do for form-data (WHATWG "multipart/form-data encoding"). */
function quote(value: string): string {
  return value.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
}

function partHeader(boundary: string, part: Part): Buffer {
  let header = `--${boundary}${CRLF}Content-Disposition: form-data; name="${quote(part.name)}"`;
  if ("filename" in part) {
    header += `; filename="${quote(part.filename)}"${CRLF}Content-Type: ${part.contentType ?? "application/octet-stream"}`;
  }
  return Buffer.from(header + CRLF + CRLF, "utf8");
}

function partSize(part: Part): number {
  if ("value" in part) return Buffer.byteLength(part.value, "utf8");
  if ("data" in part) return part.data.byteLength;
  return part.size;
}

export function createMultipartBody(parts: Part[], boundary = `----wasmcompute-${randomBytes(16).toString("hex")}`): MultipartBody {
  const headers = parts.map((p) => partHeader(boundary, p));
  const closing = Buffer.from(`--${boundary}--${CRLF}`, "utf8");
  const length = parts.reduce((sum, p, i) => sum + headers[i]!.length + partSize(p) + CRLF.length, closing.length);

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const [i, part] of parts.entries()) {
      yield headers[i]!;
      if ("value" in part) yield Buffer.from(part.value, "utf8");
      else if ("data" in part) yield part.data;
      else {
        let read = 0;
        for await (const chunk of createReadStream(part.source, { highWaterMark: CHUNK_SIZE }) as AsyncIterable<Buffer>) {
          read += chunk.length;
          if (read > part.size) break;
          yield chunk;
        }
        // The length was promised in Content-Length: a file that changed size cannot be sent.
        if (read !== part.size) throw new CliError(`${part.source} changed while it was being uploaded; try again.`);
      }
      yield Buffer.from(CRLF);
    }
    yield closing;
  }

  return {
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    stream(onProgress) {
      const it = chunks();
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await it.next();
          if (next.done) {
            controller.close();
            return;
          }
          controller.enqueue(next.value);
          sent += next.value.byteLength;
          onProgress?.(sent, length);
        },
        async cancel() {
          await it.return(undefined);
        },
      });
    },
  };
}
