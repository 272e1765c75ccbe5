"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { useHydrated } from "@/components/use-hydrated";
import { AFTER_SIGN_IN, safeCallbackPath } from "@/lib/auth/safe-callback-path";

export function SignInForm({ notice, callbackUrl }: { notice?: string; callbackUrl: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const signInMutation = useMutation({
    // Credentials come from the form at submit time, so input typed or autofilled before
    // hydration is not lost.
    mutationFn: async ({ email, password }: { email: string; password: string }) => {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) throw new Error(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
    },
    onSuccess: () => {
      // The page checked it already; checked again where it is used, against the real origin.
      router.replace(safeCallbackPath(callbackUrl, window.location.origin));
      router.refresh();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    signInMutation.mutate({ email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") });
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="text-sm text-slate-500">to your WasmCompute console</p>
      </div>
      {notice && !signInMutation.isError ? <Alert tone="info">{notice}</Alert> : null}
      {signInMutation.isError ? <Alert>{signInMutation.error.message}</Alert> : null}
      <Field id="email" label="Email" type="email" autoComplete="email" name="email" required />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        name="password"
        required
      />
      <Button type="submit" className="w-full" disabled={!hydrated || signInMutation.isPending || signInMutation.isSuccess}>
        {signInMutation.isPending || signInMutation.isSuccess ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        New here?{" "}
        <Link href={callbackUrl === AFTER_SIGN_IN ? "/sign-up" : `/sign-up?${new URLSearchParams({ callbackUrl })}`} className="font-medium text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </form>
  );
}
