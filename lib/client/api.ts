// Browser-side calls to the console's own REST API (same origin: the session cookie authenticates).
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(`/api/v1${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { message: string; code: string; field?: string } } | null;
  if (!res.ok) throw new ApiError(body?.error?.message ?? `Request failed (HTTP ${res.status})`, res.status, body?.error?.code, body?.error?.field);
  return body as T;
}
