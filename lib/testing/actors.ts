// Services tests act as a tenant's owner: one signs up and acts as that actor, as the API does
// once it has checked a session or token.
import type { Actor } from "@/lib/auth/actor";
import { signUp } from "@/lib/tenants/sign-up";

/** Signs `tenant` up (owner `email`, default `<tenant>@example.com`) and answers its owner as an admin actor. */
export async function signUpActor(tenant: string, email = `${tenant}@example.com`): Promise<Actor> {
  const account = await signUp({ email, password: "correct horse battery", tenant });
  return { tenantId: account.tenantId, tenantName: account.tenantName, userId: account.userId, scope: "admin" };
}
