// Reads a publish upload (multipart/form-data), counting bytes on the stream so that a body
// without Content-Length (a streamed CLI upload) is held to the same cap.
import { AppError } from "@/lib/errors";
import type { PublishInput } from "@/lib/versions/publish-version";

export const MAX_UPLOAD_BYTES = Number(process.env.UPLOAD_MAX_BYTES) || 64 * 1024 * 1024;

export async function readPublishForm(req: Request): Promise<PublishInput> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    throw new AppError("BAD_REQUEST", "Send the version as multipart/form-data with the fields version, module, manifest and files.");
  }
  const declared = Number(req.headers.get("content-length"));
  if (declared > MAX_UPLOAD_BYTES) throw tooLarge();
  if (!req.body) throw new AppError("BAD_REQUEST", "The upload is empty.");

  let seen = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_UPLOAD_BYTES) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Response(counted, { headers: { "content-type": type } }).formData();
  } catch (e) {
    if (seen > MAX_UPLOAD_BYTES) throw tooLarge();
    throw new AppError("BAD_REQUEST", `The upload is not valid multipart/form-data: ${(e as Error).message}`);
  }

  const version = form.get("version");
  const module = form.get("module");
  const manifest = form.get("manifest");
  if (typeof version !== "string" || !version) throw new AppError("UNPROCESSABLE", "version: give the version number, e.g. 0.0.1.", { field: "version" });
  if (!(module instanceof Blob) || module.size === 0) throw new AppError("UNPROCESSABLE", "module: attach the compiled .wasm file.", { field: "module" });
  const files = await Promise.all(
    form.getAll("files").map(async (f) => {
      if (!(f instanceof File)) throw new AppError("UNPROCESSABLE", "files: each entry must be a file whose name is its path in the app.", { field: "files" });
      return { path: f.name, data: new Uint8Array(await f.arrayBuffer()) };
    }),
  );
  return {
    version,
    module: new Uint8Array(await module.arrayBuffer()),
    manifestText: manifest instanceof Blob ? await manifest.text() : typeof manifest === "string" && manifest ? manifest : undefined,
    files,
  };
}

function tooLarge(): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${Math.round(MAX_UPLOAD_BYTES / 1024 / 1024)} MiB (UPLOAD_MAX_BYTES on the server).`);
}
