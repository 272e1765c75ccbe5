import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";
import { getSessionUser } from "@/lib/auth/session";
import { consoleConfig } from "@/lib/config/console-config";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  // Only a page of this console, as on the sign-in page (an invitation link comes back here).
  const back = safeCallbackPath((await searchParams).callbackUrl, consoleConfig().NEXTAUTH_URL);
  if (await getSessionUser()) redirect(back);
  return <SignUpForm callbackUrl={back} />;
}
