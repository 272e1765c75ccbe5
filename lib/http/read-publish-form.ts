// Reads a publish upload (multipart/form-data) as a stream: parts are parsed, copied and hashed
// chunk by chunk as they arrive, so a 60 MiB upload never holds the console's event loop for long
// (the whole-body FormData parser did, and every other request of the console waited on it).
// Parts land in one arena the size of the body, a SharedArrayBuffer, so no part is ever copied
// whole again: not to join its chunks, nor to hand the module to the compile worker. Bytes are
// counted on the stream, so a body without Content-Length (a streamed CLI upload) meets the same cap.
// The cap is the price plan's (uploadMaxBytes, by default UPLOAD_MAX_BYTES), checked against the
// declared Content-Length before a byte is read.
import { createHash, type Hash } from "node:crypto";
import { Readable } from "node:stream";
import { Busboy } from "@fastify/busboy";
import { AppError, type FieldErrors } from "@/lib/errors";
import { getPricePlan, uploadCapOf } from "@/lib/billing/price-plan";
import { consoleConfig } from "@/lib/config/console-config";
import { MANIFEST_LIMITS, manifestTooLargeMessage } from "@/lib/manifest/manifest-limits";
import type { PublishInput } from "@/lib/versions/publish-version";
import { declaredLength, describeBytes } from "./read-body";

export interface UploadCap {
  bytes: number;
  /** What the 413 says the cap is: the plan's, or the server's default. */
  source: string;
}

/** The cap of the operator's price plan (PRICE_PLAN's uploadMaxBytes, else UPLOAD_MAX_BYTES). */
export function uploadCap(): UploadCap {
  const plan = getPricePlan(process.env);
  // UPLOAD_MAX_BYTES: the upload cap of a plan that does not set its own (uploadMaxBytes).
  const bytes = uploadCapOf(plan, consoleConfig().UPLOAD_MAX_BYTES);
  return { bytes, source: plan.uploadMaxBytes ? `the upload cap of the "${plan.name}" plan` : `the upload cap of the "${plan.name}" plan (UPLOAD_MAX_BYTES on the server)` };
}

interface FilePart {
  name: string;
  filename: string;
  data: Uint8Array;
  sha256: string;
}

export async function readPublishForm(req: Request, cap: UploadCap = uploadCap()): Promise<PublishInput> {
  const declared = declaredLength(req);
  // Refused before anything is read: the client learns the cap without sending the bytes.
  if (declared !== undefined && declared > cap.bytes) throw tooLarge(cap);
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new AppError("BAD_REQUEST", "Send the version as multipart/form-data with the fields version, module, manifest and files.");
  }
  if (!req.body) throw new AppError("BAD_REQUEST", "The upload is empty.");

  const capacity = declared !== undefined && declared > 0 ? declared : cap.bytes;
  const { fields, files } = await parseMultipart(req.body, type, capacity, cap);
  const version = fields.get("version");
  const module = files.find((f) => f.name === "module");
  const manifestFile = files.find((f) => f.name === "manifest");
  // Both missing at once are both named, so a form shows every problem after one submit.
  const missing: FieldErrors = {};
  if (!version) missing.version = "Version: give the version number, e.g. 0.0.1.";
  if (!module || module.data.byteLength === 0) missing.module = "Module: attach the compiled .wasm file (or its .wat text).";
  if (!version || !module || module.data.byteLength === 0) {
    const [field] = Object.keys(missing);
    const message = !version ? "version: give the version number, e.g. 0.0.1." : "module: attach the compiled .wasm file (or its .wat text).";
    throw new AppError("UNPROCESSABLE", message, { field, fields: missing });
  }
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
    moduleName: module.filename || undefined,
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

function parseMultipart(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  capacity: number,
  cap: UploadCap,
): Promise<{ fields: Map<string, string>; files: FilePart[] }> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const files: FilePart[] = [];
    // Allocated, not touched: pages are committed as chunks are copied in.
    const arena = new Uint8Array(new SharedArrayBuffer(capacity));
    let used = 0;
    let seen = 0;
    let failed = false;
    let finished = false;
    /**
     * `drain`: the rest of the body is read and dropped (at most up to the cap) instead of the
     * connection being cut, so the client, still sending, gets the answer: for refusals of an
     * upload that is within the cap (a manifest over its limit).
     */
    const fail = (error: AppError, drain = false) => {
      if (failed) return;
      failed = true;
      if (drain) {
        source.unpipe(parser);
        source.resume();
      } else source.destroy();
      reject(error);
    };

    // Each part's bytes are contiguous in the arena, in the order the parts came. A part's stream
    // may still deliver data after busboy has begun the next part (a new stream's first chunk is
    // emitted on a later tick, while busboy parses on through the same input chunk), so only the
    // oldest open part writes; later parts keep their chunks until it ends.
    const open: OpenPart[] = [];
    const write = (part: OpenPart, chunk: Buffer) => {
      // A part's bytes are fewer than the body's, which Node holds to its Content-Length.
      if (used + chunk.byteLength > capacity) return fail(tooLarge(cap));
      if (part.name === "manifest" && used + chunk.byteLength - part.start > MANIFEST_LIMITS.bytes) return fail(manifestTooLarge(), true);
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
    parser.on("field", (name, value) => {
      if (name === "manifest" && Buffer.byteLength(value) > MANIFEST_LIMITS.bytes) return fail(manifestTooLarge(), true);
      fields.set(name, value);
    });
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
      if (seen <= cap.bytes) return;
      if (failed) source.destroy(); // draining, and the body is past the cap after all
      else fail(tooLarge(cap));
    });
    source.on("error", (e) => fail(new AppError("BAD_REQUEST", `The upload was interrupted: ${e.message}`)));
    source.pipe(parser);
  });
}

/** The manifest part is refused as soon as it passes the manifest limit, before it is parsed. */
function manifestTooLarge(): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", manifestTooLargeMessage(), { field: "manifest" });
}

function tooLarge(cap: UploadCap): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${describeBytes(cap.bytes)}, ${cap.source}. Publish a smaller module or fewer files.`);
}
