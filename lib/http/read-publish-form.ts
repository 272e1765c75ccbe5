// Reads a publish upload (multipart/form-data) as a stream: parts are parsed, copied and hashed
// chunk by chunk as they arrive, so a 60 MiB upload never holds the console's event loop for long
// (the whole-body FormData parser did, and every other request of the console waited on it).
// Parts land in one arena the size of the body, a SharedArrayBuffer, so no part is ever copied
// whole again: not to join its chunks, nor to hand the module to the compile worker. Bytes are
// counted on the stream, so a body without Content-Length (a streamed CLI upload) meets the same cap.
import { createHash, type Hash } from "node:crypto";
import { Readable } from "node:stream";
import { Busboy } from "@fastify/busboy";
import { AppError } from "@/lib/errors";
import type { PublishInput } from "@/lib/versions/publish-version";

export const MAX_UPLOAD_BYTES = Number(process.env.UPLOAD_MAX_BYTES) || 64 * 1024 * 1024;

interface FilePart {
  name: string;
  filename: string;
  data: Uint8Array;
  sha256: string;
}

export async function readPublishForm(req: Request): Promise<PublishInput> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new AppError("BAD_REQUEST", "Send the version as multipart/form-data with the fields version, module, manifest and files.");
  }
  const declared = Number(req.headers.get("content-length"));
  if (declared > MAX_UPLOAD_BYTES) throw tooLarge();
  if (!req.body) throw new AppError("BAD_REQUEST", "The upload is empty.");

  const capacity = Number.isFinite(declared) && declared > 0 ? declared : MAX_UPLOAD_BYTES;
  const { fields, files } = await parseMultipart(req.body, type, capacity);
  const version = fields.get("version");
  const module = files.find((f) => f.name === "module");
  const manifestFile = files.find((f) => f.name === "manifest");
  if (!version) throw new AppError("UNPROCESSABLE", "version: give the version number, e.g. 0.0.1.", { field: "version" });
  if (!module || module.data.byteLength === 0) throw new AppError("UNPROCESSABLE", "module: attach the compiled .wasm file.", { field: "module" });
  const stray = files.find((f) => !["module", "manifest", "files"].includes(f.name));
  if (fields.has("files")) {
    throw new AppError("UNPROCESSABLE", "files: each entry must be a file whose name is its path in the app.", { field: "files" });
  }
  if (stray) throw new AppError("UNPROCESSABLE", `Unexpected file field "${stray.name}": send module, manifest and files.`, { field: stray.name });
  const manifestText = manifestFile ? new TextDecoder().decode(manifestFile.data) : fields.get("manifest") || undefined;
  return {
    version,
    module: module.data,
    manifestText,
    files: files.filter((f) => f.name === "files").map((f) => ({ path: f.filename, data: f.data, sha256: f.sha256 })),
  };
}

interface OpenPart {
  name: string;
  filename: string;
  hash: Hash;
  /** Where its bytes start in the arena; set when it becomes the part being written. */
  start: number;
  /** Chunks that arrived while an earlier part was still being written. */
  early: Buffer[];
  ended: boolean;
}

function parseMultipart(body: ReadableStream<Uint8Array>, contentType: string, capacity: number): Promise<{ fields: Map<string, string>; files: FilePart[] }> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const files: FilePart[] = [];
    // Allocated, not touched: pages are committed as chunks are copied in.
    const arena = new Uint8Array(new SharedArrayBuffer(capacity));
    let used = 0;
    let seen = 0;
    let failed = false;
    let finished = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      source.destroy();
      reject(error);
    };

    // Each part's bytes are contiguous in the arena, in the order the parts came. A part's stream
    // may still deliver data after busboy has begun the next part (a new stream's first chunk is
    // emitted on a later tick, while busboy parses on through the same input chunk), so only the
    // oldest open part writes; later parts keep their chunks until it ends.
    const open: OpenPart[] = [];
    const write = (part: OpenPart, chunk: Buffer) => {
      // A part's bytes are fewer than the body's, which Node holds to its Content-Length.
      if (used + chunk.byteLength > capacity) return fail(tooLarge());
      arena.set(chunk, used);
      used += chunk.byteLength;
    };
    const settle = () => {
      while (!failed && open[0]?.ended) {
        const done = open.shift()!;
        files.push({ name: done.name, filename: done.filename, data: arena.subarray(done.start, used), sha256: done.hash.digest("hex") });
        const next = open[0];
        if (next) {
          next.start = used;
          for (const chunk of next.early.splice(0)) write(next, chunk);
        }
      }
      if (finished && open.length === 0 && !failed) resolve({ fields, files });
    };

    let parser: ReturnType<typeof Busboy>;
    try {
      // preservePath: a file's name is its path inside the app ("static/css/site.css").
      parser = Busboy({ headers: { "content-type": contentType }, preservePath: true, limits: { fieldSize: 1024 * 1024, fields: 20 } });
    } catch (e) {
      reject(new AppError("BAD_REQUEST", `The upload is not valid multipart/form-data: ${(e as Error).message}`));
      return;
    }
    parser.on("field", (name, value) => fields.set(name, value));
    parser.on("file", (name, stream, filename) => {
      const part: OpenPart = { name, filename, hash: createHash("sha256"), start: used, early: [], ended: false };
      open.push(part);
      stream.on("data", (chunk: Buffer) => {
        if (failed) return;
        part.hash.update(chunk);
        if (open[0] === part) write(part, chunk);
        // Copied: busboy may hand out views of a buffer it reuses (its boundary lookbehind), and
        // this chunk is hashed now but written later.
        else part.early.push(Buffer.from(chunk));
      });
      stream.on("end", () => {
        part.ended = true;
        settle();
      });
    });
    parser.on("error", (e: unknown) => fail(new AppError("BAD_REQUEST", `The upload is not valid multipart/form-data: ${(e as Error).message}`)));
    parser.on("finish", () => {
      finished = true;
      settle();
    });

    const source = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
    source.on("data", (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > MAX_UPLOAD_BYTES) fail(tooLarge());
    });
    source.on("error", (e) => fail(new AppError("BAD_REQUEST", `The upload was interrupted: ${e.message}`)));
    source.pipe(parser);
  });
}

function tooLarge(): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${Math.round(MAX_UPLOAD_BYTES / 1024 / 1024)} MiB (UPLOAD_MAX_BYTES on the server).`);
}
