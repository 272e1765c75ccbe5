// Browser-side calls to the console's own REST API (same origin: the session cookie authenticates).
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly field?: string,
    /** Every invalid field's message, the field named in words ("Module: attach the compiled .wasm file."). */
    readonly fields: Record<string, string> = field ? { [field]: message } : {},
  ) {
    super(message);
  }

  /** This field's message, for under its input; undefined when the field is fine. */
  fieldError(name: string): string | undefined {
    return this.fields[name];
  }

  /** The answer to a failed request, read from its `{ error }` body. */
  static async from(res: Response, fallback: string): Promise<ApiError> {
    const body = (await res.json().catch(() => null)) as ErrorAnswer | null;
    const e = body?.error;
    return new ApiError(e?.message ?? `${fallback} (HTTP ${res.status})`, res.status, e?.code, e?.field, e?.fields ?? (e?.field ? { [e.field]: e.message } : {}));
  }
}

interface ErrorAnswer {
  error?: { message: string; code: string; field?: string; fields?: Record<string, string> };
}


export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(`/api/v1${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  if (res.status === 204) return undefined as T;
  if (!res.ok) throw await ApiError.from(res, "Request failed");
  return (await res.json().catch(() => null)) as T;
}

/**
 * What a form shows above its fields for a failed submit: the messages of fields it has no input
 * for, or the whole message when the error names no field. Its own fields show theirs in place.
 */
export function formLevelErrors(error: unknown, ownFields: readonly string[]): string[] {
  if (!error) return [];
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)];
  const entries = Object.entries(error.fields);
  if (entries.length === 0) return [error.message];
  return entries.filter(([field]) => !ownFields.includes(field)).map(([, message]) => message);
}
