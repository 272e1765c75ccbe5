// HTTP to the console's REST API (docs/api.md): bearer auth, JSON in and out, and every failure
// turned into a CliError carrying the server's message and the exit code for its status.
import { z } from "zod";
import { CliError, EXIT, exitCodeForStatus } from "./exit-codes";

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().nullish() }),
});

export interface RequestOptions {
  json?: unknown;
  /** A raw body (e.g. a streamed multipart upload); sent with `duplex: "half"` when it is a stream. */
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    /** null for the public routes (`/signup`, `/login`): no Authorization header. */
    private readonly token: string | null,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** `path` is relative to /api/v1, e.g. `/apps`. Answers the parsed JSON, or null for 204. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    if (!res.ok) throw await toCliError(res);
    if (res.status === 204) return null as T;
    const text = await res.text();
    if (!text) return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`The server answered ${method} ${path} with something that is not JSON (HTTP ${res.status}).`);
    }
  }

  /** The raw response, for callers that treat some statuses specially (e.g. logs on an old server). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = `${this.baseUrl}/api/v1${path}`;
    const headers: Record<string, string> = { accept: "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal: options.signal, redirect: "manual" };
    if (body instanceof ReadableStream) init.duplex = "half";
    try {
      return await this.fetchImpl(url, init);
    } catch (e) {
      if (e instanceof CliError) throw e;
      if ((e as Error).name === "AbortError") throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      // Errors thrown by our own upload stream arrive as the fetch failure's cause.
      if (cause instanceof CliError) throw cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      if (body instanceof ReadableStream && ["EPIPE", "ECONNRESET", "UND_ERR_SOCKET"].includes(cause?.code ?? "")) {
        // A server that refuses an upload early may close the connection before fetch can read its answer.
        throw new CliError(
          `The console closed the connection during the upload (${why}). The upload may be larger than the server accepts; check its UPLOAD_MAX_BYTES.`,
          EXIT.ERROR,
          { code: "NETWORK" },
        );
      }
      throw new CliError(`Could not reach the console at ${this.baseUrl} (${why}). Is the URL right and the server running?`, EXIT.ERROR, {
        code: "NETWORK",
      });
    }
  }
}

/** Maps a non-2xx response to the CLI's error: the server's message, the status's exit code. */
export async function toCliError(res: Response): Promise<CliError> {
  const text = await res.text().catch(() => "");
  let parsed: z.infer<typeof ErrorBody> | undefined;
  try {
    const r = ErrorBody.safeParse(JSON.parse(text));
    if (r.success) parsed = r.data;
  } catch {
    // not JSON: a proxy's or the framework's own page
  }
  const exitCode = exitCodeForStatus(res.status);
  const details = { status: res.status, code: parsed?.error.code ?? `HTTP_${res.status}`, field: parsed?.error.field ?? undefined };
  if (parsed) {
    let message = parsed.error.message;
    if (res.status === 429) {
      const retry = res.headers.get("retry-after");
      if (retry) message += ` (retry after ${retry}s)`;
    }
    return new CliError(message, exitCode, details);
  }
  if (res.status >= 300 && res.status < 400) {
    return new CliError(`The server redirected to ${res.headers.get("location") ?? "another page"} (HTTP ${res.status}); is the URL the console's?`, EXIT.ERROR, details);
  }
  if (res.status === 404) {
    return new CliError(`Not found: ${new URL(res.url || "http://x/").pathname} (HTTP 404). Is this a WasmCompute console of a version with this API?`, exitCode, details);
  }
  return new CliError(`The server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}.`, exitCode, details);
}

/** Encodes one path segment (app name, version); `route` values like `v/0.0.1` keep their slash encoded too. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
