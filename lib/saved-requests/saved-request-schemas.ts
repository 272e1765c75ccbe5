// Saved preview requests (the editor's request panel): what one is, and the limits that keep a
// tenant's rows small. Shared by the service, the API list (OpenAPI) and the editor.
import { z } from "zod";
import { NUL_MESSAGE, noNul } from "@/lib/text/nul";

export const SAVED_REQUEST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export const SAVED_REQUEST_LIMITS = {
  /** Saved requests per app. */
  maxPerApp: 100,
  /** Body, in UTF-8 bytes. */
  maxBodyBytes: 64 * 1024,
  /** Path including its query string. */
  maxPathChars: 2048,
  maxHeaders: 50,
  maxNameChars: 80,
} as const;

/** Names travel as one URL path segment: no "/", no control characters, no surrounding spaces. */
export const SavedRequestName = z
  .string()
  .min(1, "A name cannot be empty.")
  .max(SAVED_REQUEST_LIMITS.maxNameChars, `A name is at most ${SAVED_REQUEST_LIMITS.maxNameChars} characters.`)
  .refine((n) => n === n.trim(), "A name cannot start or end with a space.")
  // eslint-disable-next-line no-control-regex
  .refine((n) => !/[\u0000-\u001f\u007f/]/.test(n), 'A name cannot contain "/" or control characters.');

export const SaveRequestInput = z.object({
  method: z.enum(SAVED_REQUEST_METHODS, `Use one of ${SAVED_REQUEST_METHODS.join(", ")}.`),
  /** Below the app, with its query string: "/items?id=3". */
  path: z
    .string()
    .max(SAVED_REQUEST_LIMITS.maxPathChars, `A path is at most ${SAVED_REQUEST_LIMITS.maxPathChars} characters.`)
    .refine((p) => p.startsWith("/"), 'The path must start with "/" (it is relative to the app, e.g. "/items?id=3").')
    // eslint-disable-next-line no-control-regex
    .refine((p) => !/[\u0000-\u001f\u007f\s]/.test(p), "A path cannot contain spaces or control characters: percent-encode them."),
  headers: z
    .array(
      z.tuple([
        z.string().min(1, "A header needs a name.").max(256).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "A header name uses letters, digits and !#$%&'*+.^_`|~-."),
        // eslint-disable-next-line no-control-regex
        z.string().max(8192).refine((v) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(v), "A header value cannot contain line breaks or control characters."),
      ]),
    )
    .max(SAVED_REQUEST_LIMITS.maxHeaders, `At most ${SAVED_REQUEST_LIMITS.maxHeaders} headers.`)
    .default([]),
  body: z.string().refine(noNul, `${NUL_MESSAGE}: a saved request keeps its body as text`).default(""),
});
export type SaveRequestInput = z.infer<typeof SaveRequestInput>;

/** Headers as stored in the JSON column, validated when read back. */
export const StoredHeaders = z.array(z.tuple([z.string(), z.string()]));

/** A saved request as the API and the console show it: lib/api-shapes/saved-request-shapes.ts. */
export type { SavedRequestView } from "../api-shapes/saved-request-shapes";
