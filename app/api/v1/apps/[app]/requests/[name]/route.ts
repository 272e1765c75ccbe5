// One saved preview request, named in the path (URL-encoded: names may contain spaces).
import { NextResponse } from "next/server";
import { deleteSavedRequest } from "@/lib/saved-requests/delete-saved-request";
import { saveSavedRequest } from "@/lib/saved-requests/save-saved-request";
import { SAVED_REQUEST_LIMITS } from "@/lib/saved-requests/saved-request-schemas";
import { readJson } from "@/lib/http/route";
import { noContent, withTenant } from "@/lib/http/with-tenant";

/** Room for the largest body JSON-escaped, plus headers. */
const MAX_JSON_BYTES = 4 * SAVED_REQUEST_LIMITS.maxBodyBytes;

export const PUT = withTenant<{ app: string; name: string }>("deploy", async ({ req, actor, params }) =>
  NextResponse.json({ request: await saveSavedRequest({ actor, appName: params.app, name: params.name, readInput: () => readJson(req, MAX_JSON_BYTES) }) }),
);

export const DELETE = withTenant<{ app: string; name: string }>("deploy", async ({ actor, params }) => {
  await deleteSavedRequest({ actor, appName: params.app, name: params.name });
  return noContent();
});
