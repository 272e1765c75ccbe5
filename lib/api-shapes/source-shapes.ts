// The editor's draft of an app's source, as the REST API answers it (docs/api.md, docs/ide.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

export const SourceView = z.looseObject({
  /** Path → text; `.wasm` files (an uploaded prebuilt module) as base64. */
  files: z.record(z.string(), z.string()),
  /** 0 while nothing was saved. */
  revision: z.number().int().min(0),
  updatedAt: Timestamp.nullable(),
});
export type SourceView = z.infer<typeof SourceView>;

/** GET /apps/{app}/source: also the template the app was created from (what the IDE opens first). */
export const SourceResponse = z.object({ source: SourceView.extend({ template: z.string().nullable() }) });
/** PUT /apps/{app}/source. */
export const SavedSourceResponse = z.object({ source: SourceView });
