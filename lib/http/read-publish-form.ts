// Reads a publish upload (multipart/form-data) as a stream: parts are parsed, copied and hashed
// chunk by chunk as they arrive, so a 60 MiB upload never holds the console's event loop for long
// (the whole-body FormData parser did, and every other request of the console waited on it).
// Parts land in one arena the size of the body, a SharedArrayBuffer, so no part is ever copied
// whole again: not to join its chunks, nor to hand the module to the compile worker. Bytes are
// counted on the stream, so a body without Content-Length (a streamed CLI upload) meets the same cap.
import { createHash } from "node:crypto";
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
  // slice(): a copy outside the shared arena, which TextDecoder does not take in every runtime.
  const manifestText = manifestFile ? new TextDecoder().decode(manifestFile.data.slice()) : fields.get("manifest") || undefined;
  return {
    version,
    module: module.data,
    manifestText,
    files: files.filter((f) => f.name === "files").map((f) => ({ path: f.filename, data: f.data, sha256: f.sha256 })),
  };
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
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      source.destroy();
      reject(error);
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
    // Parts arrive one after another, but a part's 'end' can come after the next part's first
    // chunk: each part records where its bytes start and end as its chunks come.
    let writing: { start: number; end: number } | null = null;
    // The parser's 'finish' can come before the last part's 'end': done when both have.
    let openParts = 0;
    let parsed = false;
    const settle = () => {
      if (parsed && openParts === 0 && !failed) resolve({ fields, files });
    };
    parser.on("file", (name, stream, filename) => {
      openParts++;
      const part = { start: -1, end: -1 };
      const hash = createHash("sha256");
      stream.on("data", (chunk: Buffer) => {
        if (writing !== part) {
          if (part.start >= 0) return fail(new AppError("INTERNAL", "The upload's parts arrived interleaved and could not be read. Retry the upload."));
          writing = part;
          part.start = used;
        }
        // A part's bytes are fewer than the body's, which Node holds to its Content-Length.
        if (used + chunk.byteLength > capacity) return fail(tooLarge());
        arena.set(chunk, used);
        used += chunk.byteLength;
        part.end = used;
        hash.update(chunk);
      });
      stream.on("end", () => {
        const data = part.start < 0 ? new Uint8Array(0) : arena.subarray(part.start, part.end);
        files.push({ name, filename, data, sha256: hash.digest("hex") });
        openParts--;
        settle();
      });
    });
    parser.on("error", (e: unknown) => fail(new AppError("BAD_REQUEST", `The upload is not valid multipart/form-data: ${(e as Error).message}`)));
    parser.on("finish", () => {
      parsed = true;
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
