// One key, named in the query string (?key=…&store=…) so that any key, slashes included, fits.
import { NextResponse } from "next/server";
import { deleteKvEntry } from "@/lib/kv/delete-kv-entry";
import { getKvEntry } from "@/lib/kv/get-kv-entry";
import { setKvEntry } from "@/lib/kv/set-kv-entry";
import { readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";

/** A value of up to 1 MiB travels as base64 inside JSON. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;

const keyOf = (req: Request) => {
  const q = new URL(req.url).searchParams;
  return { key: q.get("key"), store: q.get("store"), raw: q.get("raw") === "1" };
};

export const GET = withTenant<{ app: string }>("read", async ({ req, actor, params }) => {
  const { key, store, raw } = keyOf(req);
  const { raw: bytes, ...entry } = await getKvEntry({ actor, appName: params.app, store, key });
  if (raw) return new NextResponse(Buffer.from(bytes), { headers: { "content-type": "application/octet-stream" } });
  return NextResponse.json({ entry });
});

export const PUT = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const { key, store } = keyOf(req);
  return NextResponse.json({ entry: await setKvEntry({ actor, appName: params.app, store, key, readInput: () => readJson(req, MAX_JSON_BYTES) }) });
});

export const DELETE = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const { key, store } = keyOf(req);
  await deleteKvEntry({ actor, appName: params.app, store, key });
  return noContent();
});
