import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";

export interface Account {
  email: string;
  password: string;
  tenant: string;
}

/** A new, unique account for one test. */
export function newAccount(): Account {
  const id = randomBytes(4).toString("hex");
  return { email: `user-${id}@example.com`, password: `pass-${id}-Secure`, tenant: `team-${id}` };
}

/**
 * A client address of its own for an account, sent as X-Forwarded-For (what the proxy in front of
 * a console sets), so a full suite's sign-ups do not add up against the per-address limits.
 */
export function addressOf(account: Account): string {
  const id = Buffer.from(account.email.replace(/^user-|@.*$/g, "").padEnd(8, "0").slice(0, 8), "hex");
  return `10.${id[0] ?? 0}.${id[1] ?? 0}.${id[2] ?? 0}`;
}

/** Signs up through the API and signs in through next-auth, for stories that are not about auth. */
export async function signUpViaApi(page: Page, account: Account = newAccount()): Promise<Account> {
  const headers = { "x-forwarded-for": addressOf(account) };
  const res = await page.request.post("/api/v1/signup", { data: account, headers });
  if (res.status() !== 201) throw new Error(`sign-up failed: ${res.status()} ${await res.text()}`);
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: account.email, password: account.password, json: "true" },
    headers,
  });
  return account;
}
