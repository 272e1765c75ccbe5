// A tiny HTTP client for tests: signs up, keeps the session cookie, makes API tokens.
import { randomBytes } from "node:crypto";

export interface TestAccount {
  email: string;
  password: string;
  tenant: string;
}

export function newTestAccount(): TestAccount {
  const id = randomBytes(4).toString("hex");
  return { email: `t-${id}@example.com`, password: `pw-${id}-Secure`, tenant: `t-${id}` };
}

export class ConsoleClient {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("authorization")) headers.set("cookie", this.cookieHeader());
    const res = await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }

  /** Signs up a new tenant and signs in with the session cookie. */
  async signUp(account: TestAccount = newTestAccount()): Promise<TestAccount> {
    const res = await this.fetch("/api/v1/signup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(account) });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
    await this.signIn(account);
    return account;
  }

  /** Signs in through next-auth's credentials callback (a new session each time). */
  async signIn(account: Pick<TestAccount, "email" | "password">, headers: Record<string, string> = {}): Promise<void> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ csrfToken, email: account.email, password: account.password, json: "true" }),
    });
    if (res.status !== 200 || !this.sessionCookie()) throw new Error(`sign-in did not set a session cookie: ${res.status} ${await res.text()}`);
  }

  /** Signs out as the console's Sign out button does (next-auth's sign-out, with its CSRF token). */
  async signOut(): Promise<Response> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    return this.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.baseUrl },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
  }

  /** The session cookie as "name=value", if one is set. */
  sessionCookie(): string | undefined {
    const entry = [...this.cookies].find(([k, v]) => k.endsWith("next-auth.session-token") && v !== "");
    return entry ? `${entry[0]}=${entry[1]}` : undefined;
  }

  /** Creates an API token with the session (as the console does: same-origin POST). */
  async createToken(scope: "read" | "deploy" | "admin" | "owner" = "admin", name = "test"): Promise<string> {
    const res = await this.fetch("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.baseUrl },
      body: JSON.stringify({ name, scope }),
    });
    if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { secret: string }).secret;
  }
}

/** fetch with a bearer token against the console's API. */
export function apiWithToken(baseUrl: string, token: string) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(baseUrl + path, { ...init, headers });
  };
}

export function publishForm(version: string, module: Uint8Array, manifest?: string, files: Record<string, Uint8Array | string> = {}): FormData {
  const form = new FormData();
  form.set("version", version);
  form.set("module", new Blob([module as Uint8Array<ArrayBuffer>], { type: "application/wasm" }), "app.wasm");
  if (manifest !== undefined) form.set("manifest", new Blob([manifest], { type: "application/yaml" }), "wasmcompute.yaml");
  for (const [path, data] of Object.entries(files)) form.append("files", new Blob([data as BlobPart]), path);
  return form;
}
