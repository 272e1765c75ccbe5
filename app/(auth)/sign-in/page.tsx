import { consoleConfig } from "@/lib/config/console-config";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  expired: "Your session has expired. Sign in again to continue.",
  "signed-out": "You are signed out.",
  "signed-out-everywhere": "You are signed out on every device and browser.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ reason?: string; callbackUrl?: string }> }) {
  const { reason, callbackUrl } = await searchParams;
  // Only a page of this console (issue #13: `/\evil` and `/<TAB>/evil` are other hosts to a browser).
  const back = safeCallbackPath(callbackUrl, consoleConfig().NEXTAUTH_URL);
  if (await getSessionUser()) redirect(back);
  return <SignInForm notice={reason ? NOTICES[reason] : undefined} callbackUrl={back} />;
}
