"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { Alert, Button, Field } from "@/components/ui";
import { RoleNotice, useRole } from "@/components/layout/role-context";
import { api, ApiError, formLevelErrors } from "@/lib/client/api";
import type { TokenView } from "@/lib/client/types";

const SCOPES = [
  { id: "read", label: "Read", hint: "list apps, versions, deployments" },
  { id: "deploy", label: "Deploy", hint: "read + create apps, publish, deploy, roll back" },
  { id: "admin", label: "Admin", hint: "everything, including tokens and deleting apps" },
  { id: "owner", label: "Owner", hint: "admin + roles and members (an owner's token only)" },
] as const;

/** Expiry choices, in days; "" is a token that never expires. */
const EXPIRIES = [
  { days: "", label: "Never" },
  { days: "7", label: "In 7 days" },
  { days: "30", label: "In 30 days" },
  { days: "90", label: "In 90 days" },
  { days: "365", label: "In 1 year" },
] as const;

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);
const isExpired = (t: TokenView) => t.expiresAt !== null && new Date(t.expiresAt).getTime() <= Date.now();

export function TokenManager() {
  const { can } = useRole();
  if (!can("admin")) {
    return (
      <div className="max-w-4xl space-y-4">
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <RoleNotice needs="admin">Owners and admins manage the tenant&apos;s API tokens.</RoleNotice>
        <p className="text-sm text-slate-600">
          For a token of your own, with your role&apos;s rights: <code className="font-mono">wasmcompute login --tenant NAME</code>.
        </p>
      </div>
    );
  }
  return <TokenManagerForAdmins />;
}

function TokenManagerForAdmins() {
  const { can } = useRole();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: () => api<{ tokens: TokenView[] }>("/tokens").then((r) => r.tokens) });
  const [name, setName] = useState("");
  const [scope, setScope] = useState<(typeof SCOPES)[number]["id"]>("deploy");
  const [expiry, setExpiry] = useState<(typeof EXPIRIES)[number]["days"]>("");
  const create = useMutation({
    mutationFn: () => api<{ token: TokenView; secret: string }>("/tokens", { method: "POST", json: { name, scope, ...(expiry ? { expiresInDays: Number(expiry) } : {}) } }),
    onSuccess: () => {
      setName("");
      return queryClient.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/tokens/${id}`, { method: "DELETE" }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["tokens"] });
      setRevoking(null);
    },
  });
  const error = create.error as ApiError | null;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <div className="max-w-4xl space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="mt-1 text-sm text-slate-500">
          For the CLI and scripts: <code className="font-mono">wasmcompute login --url &lt;this console&apos;s URL&gt; --token wc_…</code> or{" "}
          <code className="font-mono">Authorization: Bearer wc_…</code>. See the{" "}
          <a href="/api/v1/openapi.json" className="text-indigo-600 hover:text-indigo-500">
            OpenAPI document
          </a>
          .
        </p>
      </header>

      <section aria-labelledby="new-token" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="new-token" className="text-sm font-semibold text-slate-700">Create a token</h2>
        <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-start" noValidate>
          <Field id="token-name" label="Name" placeholder="laptop, CI…" value={name} onChange={(e) => setName(e.target.value)} error={error?.fieldError("name")} />
          <div className="space-y-1">
            <label htmlFor="token-scope" className="block text-sm font-medium text-slate-700">
              Scope
            </label>
            <select id="token-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              {SCOPES.filter((s) => can(s.id)).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <p className="text-xs text-slate-500">{SCOPES.find((s) => s.id === scope)?.hint}</p>
          </div>
          <div className="space-y-1">
            <label htmlFor="token-expiry" className="block text-sm font-medium text-slate-700">
              Expires
            </label>
            <select id="token-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as typeof expiry)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              {EXPIRIES.map((x) => (
                <option key={x.days} value={x.days}>
                  {x.label}
                </option>
              ))}
            </select>
            <p className="text-xs text-slate-500">After it, the token answers 401 saying it expired.</p>
          </div>
          <Button type="submit" className="sm:mt-6" disabled={create.isPending}>
            Create token
          </Button>
        </form>
        {create.data ? (
          <div className="mt-4 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900" role="status">
            <p className="font-medium">Copy your new token now: it is shown only once.</p>
            <code className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-xs" data-testid="new-token-secret">
              {create.data.secret}
            </code>
            <div className="mt-2">
              <CopyButton text={create.data.secret} label="Copy token" />
            </div>
            {create.data.token.expiresAt ? <p className="mt-2 text-xs">Expires {when(create.data.token.expiresAt, "never")}.</p> : null}
          </div>
        ) : null}
        {formLevelErrors(error, ["name"]).map((message) => (
          <div key={message} className="mt-3">
            <Alert>{message}</Alert>
          </div>
        ))}
      </section>

      <section aria-labelledby="token-list">
        <h2 id="token-list" className="mb-3 text-sm font-semibold text-slate-700">Your tokens</h2>
        {tokens.data?.length ? (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">Name</th>
                <th className="px-4 py-3">Scope</th>
                <th className="px-4 py-3">Token</th>
                <th className="px-4 py-3">Created</th>
                <th className="px-4 py-3">Last used</th>
                <th className="px-4 py-3">Expires</th>
                <th className="px-4 py-3"></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.map((t) => (
                <tr key={t.id} className={t.revokedAt || isExpired(t) ? "text-slate-500" : ""}>
                  <td className="px-4 py-3">{t.name}</td>
                  <td className="px-4 py-3">{t.scope}</td>
                  <td className="px-4 py-3 font-mono text-xs">{t.prefix}…</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-500">{when(t.createdAt, "")}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-500">{when(t.lastUsedAt, "never")}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-500">{isExpired(t) ? `expired ${when(t.expiresAt, "")}` : when(t.expiresAt, "never")}</td>
                  <td className="px-4 py-3 text-right">
                    {t.revokedAt ? (
                      "revoked"
                    ) : (
                      <button type="button" onClick={() => setRevoking(t)} className="text-sm text-red-600 hover:text-red-500" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        ) : (
          <p className="text-sm text-slate-500">{tokens.isPending ? "Loading…" : "No tokens yet."}</p>
        )}
        {revoking ? (
          <ConfirmDialog
            title={`Revoke ${revoking.name}?`}
            message={<p>Every script or CLI that uses {revoking.prefix}… gets 401 from now on. A revoked token cannot be brought back; create a new one instead.</p>}
            confirmLabel="Revoke token"
            busy={revoke.isPending}
            error={revoke.error ? revoke.error.message : undefined}
            onConfirm={() => revoke.mutate(revoking.id)}
            onCancel={() => {
              revoke.reset();
              setRevoking(null);
            }}
          />
        ) : null}
      </section>
    </div>
  );
}
