import { withTenant } from "@/lib/http/with-tenant";
import { rawFileHeaders } from "@/lib/files/file-preview";
import { readVersionFile } from "@/lib/files/read-version-file";

export const GET = withTenant<{ app: string; version: string; path: string[] }>("read", async ({ req, actor, params }) => {
  const { file, bytes } = await readVersionFile({ actor, appName: params.app, version: params.version, path: params.path.join("/") });
  const headers = rawFileHeaders(file);
  if (req.headers.get("if-none-match") === headers.etag) return new Response(null, { status: 304, headers: { etag: headers.etag!, "cache-control": headers["cache-control"]! } });
  return new Response(Buffer.from(bytes), { headers });
});
