import { compareAndSetKvEntry } from "@/lib/kv/compare-and-set-kv-entry";
import { readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";

export const POST = withTenant<{ app: string }>("deploy", async ({ req, actor, params }) => {
  const q = new URL(req.url).searchParams;
  await compareAndSetKvEntry({ actor, appName: params.app, store: q.get("store"), key: q.get("key"), readInput: () => readJson(req, 2 * 1024 * 1024) });
  return noContent();
});
