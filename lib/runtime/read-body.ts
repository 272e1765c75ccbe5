import type { Readable } from "node:stream";

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}

/**
 * Reads a request body, counting bytes as they arrive: a client that omits Content-Length (or
 * lies in it) is stopped at the limit, not after buffering everything it sends.
 */
const EMPTY = new Uint8Array(0);

export function readBodyWithLimit(stream: Readable & { headers?: Record<string, unknown> }, limit: number): Promise<Uint8Array> {
  const length = stream.headers?.["content-length"];
  // HTTP/1.1: without Content-Length and Transfer-Encoding a request has no body.
  if (stream.headers && (length === undefined || length === "0") && stream.headers["transfer-encoding"] === undefined) {
    return Promise.resolve(EMPTY);
  }
  const declared = Number(length);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        stream.pause();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      // An exact-size copy: socket chunks are views into larger buffers, and posting a view to a
      // worker would clone the whole underlying buffer.
      const body = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(body);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => onError(new Error("client aborted the request"));
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("aborted", onAborted);
  });
}
