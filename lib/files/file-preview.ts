// How the console shows a file, and how the raw-bytes route may answer it without letting a
// published file run script in the console's origin. Shared by the page and the route.

/** The preview shows at most this many bytes of a text file. */
export const TEXT_PREVIEW_BYTES = 64 * 1024;

/** Raster images a browser renders in <img> and never executes. */
const SAFE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/x-icon"]);
const SVG = "image/svg+xml";

const TEXT_TYPES = /^(text\/|application\/(json|yaml|xml|javascript|toml)\b)|\+(json|xml)\b/;

function mediaType(contentType: string): string {
  return contentType.split(";")[0]!.trim().toLowerCase();
}

export type PreviewKind = "image" | "text" | "none";

export function previewKindOf(contentType: string): PreviewKind {
  const type = mediaType(contentType);
  if (SAFE_IMAGES.has(type) || type === SVG) return "image";
  if (TEXT_TYPES.test(type)) return "text";
  return "none";
}

/** Text of a preview, or null when the bytes look binary (a NUL, or mostly undecodable). */
export function decodeTextPreview(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const replaced = text.match(/\uFFFD/g)?.length ?? 0;
  // A cut in the middle of a multi-byte character at the 64 KiB mark costs one U+FFFD, not more.
  if (replaced > 4 && replaced > text.length / 100) return null;
  return text;
}

/**
 * Headers of the raw-bytes route. It answers on the console's origin, so nothing it sends may
 * render as a document there: raster images keep their type (for <img>), SVG keeps its type but
 * is an attachment under a CSP sandbox (an <img> still shows it, and an <img> never runs its
 * script), everything else is an octet-stream attachment (nosniff comes from next.config.mjs). The stored
 * type is in X-File-Content-Type.
 */
export function rawFileHeaders(file: { path: string; size: number; sha256: string; contentType: string }): Record<string, string> {
  const type = mediaType(file.contentType);
  const inline = SAFE_IMAGES.has(type);
  const name = file.path.slice(file.path.lastIndexOf("/") + 1);
  return {
    "content-type": inline || type === SVG ? type : "application/octet-stream",
    "content-length": String(file.size),
    "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "x-file-content-type": file.contentType,
    etag: `"${file.sha256}"`,
    "cache-control": "private, no-cache",
  };
}
