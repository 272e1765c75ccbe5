// The editor preview's saved requests, as the REST API answers them (docs/api.md).
import { z } from "zod";
import { Timestamp } from "./timestamp";

export const SavedRequestView = z.looseObject({
  name: z.string(),
  method: z.string(),
  /** Below the app, with its query string: "/items?id=3". */
  path: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.string(),
  updatedAt: Timestamp,
});
export type SavedRequestView = z.infer<typeof SavedRequestView>;

/** GET /apps/{app}/requests. */
export const SavedRequestsResponse = z.object({ requests: z.array(SavedRequestView) });
export type SavedRequestsResponse = z.infer<typeof SavedRequestsResponse>;
/** PUT /apps/{app}/requests/{name}. */
export const SavedRequestResponse = z.object({ request: SavedRequestView });
export type SavedRequestResponse = z.infer<typeof SavedRequestResponse>;
