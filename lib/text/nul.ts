// NUL (U+0000) in input: PostgreSQL refuses it in text and JSON (SQLSTATE 22021, 22P05) and no
// environment variable can hold one, so names, filters and stored text refuse it at the boundary,
// naming the field, instead of failing in the database with a 500. Where a NUL is data (a KV
// value, a request body the try box sends, a password, a log search) it is taken as it is.
// Schemas: `z.string().refine(noNul, NUL_MESSAGE)`; URLs: lib/http/with-tenant.ts.

export const NUL_MESSAGE = "must not contain a NUL character (\\0)";

/** True when `text` holds no NUL: the predicate for zod's refine. */
export const noNul = (text: string): boolean => !text.includes("\0");
