// Publishing makes an immutable, content-addressed version: the module (validated, memory-capped)
// or the component (its upload, and the artifact it is transpiled to), the resolved manifest and
// the files, stored with their SHA-256. The bytes go to the blob store first, outside any
// transaction; then one short transaction writes the rows. A publish that fails after its bytes
// are stored leaves no row, only blobs that the orphan sweep removes.
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { blobStore, sha256Hex } from "@/lib/blobs/blob-store";
import { parseManifest } from "@/lib/manifest/parse-manifest";
import { Manifest } from "@/lib/manifest/manifest-schema";
import { DEFAULT_LIMITS } from "@/lib/deployment-record/record";
import { limitCeilingsFromEnv, limitsOverCeilings } from "@/lib/deployment-record/limit-ceilings";
import { scheduleProblems, secondSchedulesAllowed } from "@/lib/schedules/schedule-rules";
import { sharedConfig } from "@/lib/config/shared-config";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { joinAndHash } from "@/lib/blobs/join-and-hash";
import { isComponentBinary } from "@/lib/wasm/component/detect";
import { describeInWorker, ModuleCompileTimeout } from "@/lib/compile-workers/compile-in-worker";
import { checkModule } from "./check-module";
import { checkComponent } from "./check-component";
import { moduleBinaryOf } from "./compile-wat-upload";
import { staticDirOf } from "@/lib/deployment-record/static-rules";
import { contentTypeOf } from "@/lib/deployment-record/content-type";
import { VersionNumber } from "./semver";
import { toVersionView, type VersionView } from "./version-view";

export const PUBLISH_LIMITS = {
  maxFiles: 2000,
  maxFileBytes: 25 * 1024 * 1024,
};

const FilePath = z
  .string()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith("/") && !p.split("/").some((s) => s === ".." || s === "." || s === ""), "must be a relative path inside the app");

export interface PublishInput {
  version: string;
  module: Uint8Array;
  /** The uploaded module's file name (for a WAT module's error locations). */
  moduleName?: string;
  manifestText?: string;
  /** sha256: when the reader already hashed the bytes on the way in. */
  files: { path: string; data: Uint8Array; sha256?: string }[];
}

/** How long a module's compile for its checks may take before the publish is refused. */
const PUBLISH_COMPILE_TIMEOUT_MS = 30_000;

/** The rows' transaction holds no bytes: it is a few small inserts. */
const ROWS_TRANSACTION = { maxWait: 5_000, timeout: 10_000 };

/**
 * Refuses a version number the app already has, before anything is uploaded: the API calls it with
 * the version named in the query (the CLI sends it), so a taken number costs no upload.
 */
export async function refuseExistingVersion({ actor, appName, version: raw }: { actor: Actor; appName: string; version: string }): Promise<void> {
  const app = await findAppOrThrow({ actor, name: appName });
  const parsed = VersionNumber.safeParse(raw);
  if (!parsed.success) throw new AppError("UNPROCESSABLE", `version: "${raw}" is not a semantic version like 1.2.3.`, { field: "version" });
  if (await db().version.findUnique({ where: { appId_version: { appId: app.id, version: parsed.data } }, select: { id: true } })) {
    throw versionExists(appName, parsed.data);
  }
}

export async function publishVersion({ actor, appName, input }: { actor: Actor; appName: string; input: PublishInput }): Promise<VersionView> {
  const app = await findAppOrThrow({ actor, name: appName });
  const version = VersionNumber.parse(input.version);
  // Both at once (one wait on the database instead of two); the previous version decides `tainted`.
  const [taken, previous] = await Promise.all([
    db().version.findUnique({ where: { appId_version: { appId: app.id, version } }, select: { id: true } }),
    db().version.findFirst({ where: { appId: app.id }, orderBy: { createdAt: "desc" }, select: { filesSha256: true, datastoresSha256: true } }),
  ]);
  if (taken) throw versionExists(appName, version);

  const manifest = input.manifestText ? parseManifest(input.manifestText) : Manifest.parse({});
  if (manifest.name && manifest.name !== app.name) {
    throw new AppError("UNPROCESSABLE", `wasmcompute.yaml: name is "${manifest.name}" but you are publishing to app "${app.name}".`, { field: "manifest" });
  }

  // The operator's ceilings (GATEWAY_MAX_*): a manifest asking for more is refused, naming them.
  const ceilings = limitCeilingsFromEnv(process.env);
  const overCeilings = limitsOverCeilings(manifest.limits, ceilings);
  if (overCeilings.length) throw new AppError("UNPROCESSABLE", overCeilings.join(" "), { field: "manifest" });
  // Schedules: the operator's minimum interval (SCHEDULE_MIN_INTERVAL_MINUTES); seconds only in tests.
  const badSchedules = scheduleProblems(manifest.schedules ?? [], {
    minIntervalMinutes: sharedConfig().SCHEDULE_MIN_INTERVAL_MINUTES,
    allowSeconds: secondSchedulesAllowed(process.env),
  });
  if (badSchedules.length) throw new AppError("UNPROCESSABLE", badSchedules.join(" "), { field: "manifest" });

  const files = checkFiles(input.files, manifest);
  // Without a limit of its own the app gets the default, or the ceiling if that is lower.
  const memoryMb = manifest.limits.memoryMb ?? Math.min(DEFAULT_LIMITS.memoryMb, ceilings.memoryMb);
  // A component is transpiled; WAT (as WAGI serves it) becomes the binary that is checked and stored.
  const runnable = isComponentBinary(input.module)
    ? await runnableComponent(input.module, memoryMb, manifest.routes)
    : await runnableModule(await moduleBinaryOf(input.module, input.moduleName), memoryMb, manifest.routes);
  const { bytes: module, sha256: moduleSha256 } = runnable;
  const manifestJson = JSON.stringify(manifest);
  const filesSha256 = sha256Hex(files.map((f) => `${f.path}\0${f.sha256}\n`).join(""));
  const datastoresSha256 = sha256Hex(JSON.stringify([...manifest.datastores].sort((a, b) => a.name.localeCompare(b.name))));
  const tainted = previous !== null && (previous.filesSha256 !== filesSha256 || previous.datastoresSha256 !== datastoresSha256);

  const source = runnable.kind === "component" ? [{ sha256: runnable.source.sha256, data: input.module }] : [];
  await blobStore().put([{ sha256: moduleSha256, data: module }, ...source, ...files.map((f) => ({ sha256: f.sha256, data: f.data }))]);
  try {
    const created = await db().$transaction(
      (tx) =>
        tx.version.create({
          data: {
            tenantId: actor.tenantId,
            appId: app.id,
            version,
            moduleSha256,
            moduleSize: module.byteLength,
            manifest: JSON.parse(manifestJson),
            manifestSha256: sha256Hex(manifestJson),
            filesSha256,
            datastoresSha256,
            tainted,
            kind: runnable.kind,
            ...(runnable.kind === "component"
              ? { sourceSha256: runnable.source.sha256, sourceSize: input.module.byteLength, componentWorld: runnable.world }
              : {}),
            files: { create: files.map(({ path, sha256, size, contentType }) => ({ path, sha256, size, contentType })) },
          },
        }),
      ROWS_TRANSACTION,
    );
    await recordAuditEvent({ actor, action: "version.published", target: `app:${appName}@${version}`, detail: { moduleSha256, kind: runnable.kind } });
    return toVersionView(created);
  } catch (e) {
    if (isUniqueViolation(e)) throw versionExists(appName, version);
    throw e;
  }
}

type Runnable =
  | { kind: "module"; bytes: Uint8Array; sha256: string }
  | { kind: "component"; bytes: Uint8Array; sha256: string; source: { sha256: string }; world: { imports: string[]; exports: string[] } };

/** A core module (WASI preview1, WAGI): checked and memory-capped; what runs is what is stored. */
async function runnableModule(bytes: Uint8Array, memoryMb: number, routes: Manifest["routes"]): Promise<Runnable> {
  let checked: Awaited<ReturnType<typeof checkModule>>;
  try {
    checked = await checkModule({
      bytes,
      entrypoints: [...new Set(routes.map((r) => r.entrypoint))],
      memoryMb,
      describe: (bytes) => describeInWorker(bytes, { timeoutMs: PUBLISH_COMPILE_TIMEOUT_MS }),
    });
  } catch (e) {
    if (e instanceof ModuleCompileTimeout) {
      throw new AppError("UNPROCESSABLE", `The module could not be checked: ${e.message}. Publish a smaller module (fewer functions).`, { field: "module" });
    }
    throw e;
  }
  if (!checked.ok) throw new AppError("UNPROCESSABLE", checked.problems.join(" "), { field: "module" });
  return { kind: "module", ...(await joinAndHash(checked.pieces)) };
}

/**
 * A component (WASI 0.2): what runs is its transpiled artifact, stored as the version's module so
 * the gateway fetches it by moduleSha256 like any module; the upload is kept too, for the download.
 */
async function runnableComponent(bytes: Uint8Array, memoryMb: number, routes: Manifest["routes"]): Promise<Runnable> {
  const checked = await checkComponent({ bytes, memoryMb, routes });
  return { kind: "component", bytes: checked.artifact, sha256: checked.artifactSha256, source: { sha256: checked.sourceSha256 }, world: checked.world };
}

function versionExists(app: string, version: string): AppError {
  return new AppError("CONFLICT", `Version ${version} of "${app}" already exists and versions are immutable. Publish a new version number.`, {
    field: "version",
  });
}

function checkFiles(uploaded: PublishInput["files"], manifest: Manifest) {
  if (uploaded.length > PUBLISH_LIMITS.maxFiles) {
    throw new AppError("PAYLOAD_TOO_LARGE", `Too many files: ${uploaded.length} (at most ${PUBLISH_LIMITS.maxFiles}).`, { field: "files" });
  }
  const seen = new Set<string>();
  const files = uploaded.map(({ path, data, sha256 }) => {
    const parsed = FilePath.safeParse(path);
    if (!parsed.success) throw new AppError("UNPROCESSABLE", `File "${path}": ${parsed.error.issues[0]!.message}.`, { field: "files" });
    if (seen.has(path)) throw new AppError("UNPROCESSABLE", `File "${path}" was uploaded twice.`, { field: "files" });
    if (data.byteLength > PUBLISH_LIMITS.maxFileBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `File "${path}" is larger than ${PUBLISH_LIMITS.maxFileBytes / 1024 / 1024} MiB.`, { field: "files" });
    }
    seen.add(path);
    return { path, data, sha256: sha256 ?? sha256Hex(data), size: data.byteLength, contentType: contentTypeOf(path) };
  });
  manifest.static.forEach((s, i) => {
    // The same reading of `dir` as the gateway's (".", "./" and "" are the root of the files).
    const dir = staticDirOf(s.dir);
    if (!files.some((f) => dir === "" || f.path.startsWith(`${dir}/`))) {
      const where = dir === "" ? "no file was uploaded" : `no uploaded file is under "${dir}/"`;
      throw new AppError("UNPROCESSABLE", `wasmcompute.yaml: static[${i}].dir: ${where}.`, { field: "manifest" });
    }
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
