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

/** Signs up through the API and signs in through next-auth, for stories that are not about auth. */
export async function signUpViaApi(page: Page, account: Account = newAccount()): Promise<Account> {
  const res = await page.request.post("/api/v1/signup", { data: account });
  if (res.status() !== 201) throw new Error(`sign-up failed: ${res.status()} ${await res.text()}`);
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email: account.email, password: account.password, json: "true" },
  });
  return account;
}
