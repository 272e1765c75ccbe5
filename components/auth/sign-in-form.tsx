"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui";

export function SignInForm({ notice, callbackUrl }: { notice?: string; callbackUrl: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signInMutation = useMutation({
    mutationFn: async () => {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) throw new Error(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
    },
    onSuccess: () => {
      router.replace(callbackUrl);
      router.refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signInMutation.mutate();
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="text-sm text-slate-500">to your WasmCompute console</p>
      </div>
      {notice && !signInMutation.isError ? <Alert tone="info">{notice}</Alert> : null}
      {signInMutation.isError ? <Alert>{signInMutation.error.message}</Alert> : null}
      <Field id="email" label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" className="w-full" disabled={signInMutation.isPending || signInMutation.isSuccess}>
        {signInMutation.isPending || signInMutation.isSuccess ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:text-indigo-500">
          Create an account
        </Link>
      </p>
    </form>
  );
}
