"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { useHydrated } from "@/components/use-hydrated";
import { ApiError, formLevelErrors } from "@/lib/client/api";
import { AFTER_SIGN_IN, safeCallbackPath } from "@/lib/auth/safe-callback-path";


/** `callbackUrl`: where to go once signed up (an invitation link), checked again here like the sign-in form does. */
export function SignUpForm({ callbackUrl = AFTER_SIGN_IN }: { callbackUrl?: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  // Only the tenant name is mirrored into state (for the URL hint); submit reads the form itself,
  // so whatever was typed or autofilled before hydration is what gets sent.
  const [tenantHint, setTenantHint] = useState("");
  const signUpMutation = useMutation({
    mutationFn: async (form: { email: string; password: string; tenant: string }) => {
      const res = await fetch("/api/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(form),
      });
      if (!res.ok) throw await ApiError.from(res, "Sign-up failed. Try again");
      const result = await signIn("credentials", { email: form.email, password: form.password, redirect: false });
      if (!result || result.error) throw new Error("Your account was created, but signing in failed. Sign in from the sign-in page.");
    },
    onSuccess: () => {
      router.replace(safeCallbackPath(callbackUrl, window.location.origin));
      router.refresh();
    },
  });

  const error = signUpMutation.error;
  const fieldError = (name: string) => (error instanceof ApiError ? error.fieldError(name) : undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => String(data.get(name) ?? "");
    signUpMutation.mutate({ email: field("email"), password: field("password"), tenant: field("tenant") });
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Create your account</h1>
        <p className="text-sm text-slate-500">You get your own tenant: apps, gateway and datastores.</p>
      </div>
      {formLevelErrors(error, ["email", "password", "tenant"]).map((message) => (
        <Alert key={message}>{message}</Alert>
      ))}
      <Field id="email" label="Email" type="email" autoComplete="email" name="email" required error={fieldError("email")} />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        name="password"
        required
        error={fieldError("password")}
        hint="At least 10 characters, mixing letters with digits or symbols."
      />
      <Field
        id="tenant"
        label="Tenant name"
        autoComplete="off"
        spellCheck={false}
        name="tenant"
        required
        onChange={(e) => setTenantHint(e.target.value)}
        error={fieldError("tenant")}
        hint={
          <>
            Lowercase letters, digits and dashes. Your apps answer at{" "}
            <span className="font-mono">/{tenantHint || "tenant"}/&lt;app&gt;</span> on the gateway.
          </>
        }
      />
      <Button type="submit" className="w-full" disabled={!hydrated || signUpMutation.isPending || signUpMutation.isSuccess}>
        {signUpMutation.isPending || signUpMutation.isSuccess ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={callbackUrl === AFTER_SIGN_IN ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl })}`} className="font-medium text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </form>
  );
}
