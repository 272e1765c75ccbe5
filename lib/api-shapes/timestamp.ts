// Pieces the API's shapes share. lib/api-shapes is read by the route handlers' views, the OpenAPI
// document (lib/openapi), the console's client types (lib/client/types.ts) and the CLI
// (cli/api-types.ts), so it imports zod only (the CLI loads it without the "@/" alias).
import { z } from "zod";

/** An instant as ISO 8601 text in UTC (Date.toISOString()). */
export const Timestamp = z.iso.datetime();
