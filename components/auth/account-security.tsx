"use client";

import { signOut } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useConfirm } from "@/components/confirm-dialog";
import { Alert, Button, Field } from "@/components/ui";
import { api, ApiError } from "@/lib/client/api";

/** Settings → Security: change the password, sign out on every device. */
export function AccountSecurity() {
  const change = useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api<{ revokedSessions: number }>("/account/password", { method: "PUT", json: input }),
  });
  const everywhere = useMutation({
    mutationFn: async () => {
      await api<{ revokedSessions: number }>("/account/sessions", { method: "DELETE" });
      // This browser's session ended with the others; clear its cookie and say so.
      await signOut({ callbackUrl: "/sign-in?reason=signed-out-everywhere" });
    },
  });
  const { confirm, dialog } = useConfirm();
  const error = change.error as ApiError | null;
  const fieldError = (name: string) => (error?.field === name ? error.message.replace(/^\w+: /, "") : undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    change.mutate(
      { currentPassword: String(data.get("currentPassword") ?? ""), newPassword: String(data.get("newPassword") ?? "") },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <section aria-labelledby="security" className="max-w-2xl rounded-xl border border-slate-200 bg-white">
      <h2 id="security" className="border-b border-slate-100 px-6 py-4 text-sm font-semibold text-slate-700">Security</h2>
      <form onSubmit={submit} className="space-y-4 px-6 py-5" noValidate aria-labelledby="change-password">
        <h3 id="change-password" className="text-sm font-medium text-slate-900">Change password</h3>
        {error && !error.field ? <Alert>{error.message}</Alert> : null}
        {change.isSuccess ? (
          <Alert tone="info">
            Password changed. {change.data.revokedSessions === 1 ? "1 other session was" : `${change.data.revokedSessions} other sessions were`} signed out;
            this one stays signed in. API tokens keep working: revoke them on the API tokens page if one may have leaked.
          </Alert>
        ) : null}
        <Field id="currentPassword" name="currentPassword" label="Current password" type="password" autoComplete="current-password" required error={fieldError("currentPassword")} />
        <Field
          id="newPassword"
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          error={fieldError("newPassword")}
          hint="At least 10 characters, mixing letters with digits or symbols. Every other session is signed out."
        />
        <Button type="submit" disabled={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </Button>
      </form>
      <div className="flex items-start justify-between gap-6 border-t border-slate-100 px-6 py-5">
        <div>
          <h3 className="text-sm font-medium text-slate-900">Sign out everywhere</h3>
          <p className="mt-1 text-sm text-slate-500">
            Ends every session of your account, on every device and browser, this one included. API tokens are not affected.
          </p>
          {everywhere.isError ? <div className="mt-2"><Alert>{(everywhere.error as Error).message}</Alert></div> : null}
        </div>
        <Button type="button" className="shrink-0 bg-red-600 hover:bg-red-500" disabled={everywhere.isPending || everywhere.isSuccess} onClick={async () => {
            const ok = await confirm({
              title: "Sign out everywhere?",
              message: <p>Every session of your account ends, this one included: you sign in again here. API tokens keep working.</p>,
              confirmLabel: "Sign out every session",
            });
            if (ok) everywhere.mutate();
          }}>
          {everywhere.isPending ? "Signing out…" : "Sign out everywhere"}
        </Button>
      </div>
      {dialog}
    </section>
  );
}
