"use client";

// An app's environment variables and secrets, per environment (Production / Preview): a table of
// variables, a form to add or change one (with a "Secret" box), and delete behind a confirmation.
// A secret's value is never sent back by the API: after saving it shows as •••• with its time.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { DataTable, MessageRow } from "@/components/data-table";
import { Alert, Button, Field } from "@/components/ui";
import { RoleNotice, useRole } from "@/components/layout/role-context";
import { api, ApiError, formLevelErrors } from "@/lib/client/api";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

type Environment = "production" | "preview";
type EnvVar = { name: string; secret: false; value: string; updatedAt: string } | { name: string; secret: true; updatedAt: string };
interface EnvList { environment: Environment; vars: EnvVar[]; maxVars: number }

const TABS: { id: Environment; label: string; explain: string }[] = [
  {
    id: "production",
    label: "Production",
    explain: "Passed to the app's functions on the gateway as environment variables, from the next request on: no new version needed. The gateway's own WAGI variables (REQUEST_METHOD, HTTP_…) always win; these override the manifest's env.",
  },
  {
    id: "preview",
    label: "Preview",
    explain: "Passed to the editor's in-browser preview. Secrets never leave the server, so the preview runs without them: give it plain test values instead.",
  },
];

export function EnvSettings({ app }: { app: string }) {
  const [environment, setEnvironment] = useState<Environment>("production");
  const tab = TABS.find((t) => t.id === environment)!;
  return (
    <div className="max-w-5xl space-y-6">
      <header>
        <Breadcrumbs trail={appCrumbs(app)} />
        <h1 className="text-2xl font-semibold">Environment variables and secrets</h1>
        <p className="mt-1 text-sm text-slate-500">
          Secrets are encrypted at rest and never shown again after saving, not even to you: to change one, set a new value.
        </p>
      </header>

      <div role="tablist" aria-label="Environment" className="flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={environment === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => setEnvironment(t.id)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${
              environment === t.id ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-500 hover:text-slate-700"
            }`}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div role="tabpanel" id={`panel-${environment}`} aria-labelledby={`tab-${environment}`} className="space-y-6">
        <p className="text-sm text-slate-600">{tab.explain}</p>
        <EnvPanel key={environment} app={app} environment={environment} />
      </div>
    </div>
  );
}

function EnvPanel({ app, environment }: { app: string; environment: Environment }) {
  const base = `/apps/${encodeURIComponent(app)}/env`;
  const queryKey = ["env", app, environment];
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey, queryFn: () => api<EnvList>(`${base}?environment=${environment}`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [secret, setSecret] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (v: { name: string; value: string; secret: boolean }) =>
      api(`${base}/${encodeURIComponent(v.name)}?environment=${environment}`, { method: "PUT", json: { value: v.value, secret: v.secret } }),
    onSuccess: async () => {
      setName("");
      setValue("");
      setSecret(false);
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (n: string) => api(`${base}/${encodeURIComponent(n)}?environment=${environment}`, { method: "DELETE" }),
    onSuccess: async () => {
      setConfirming(null);
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ name: name.trim(), value, secret });
  }

  function edit(v: EnvVar) {
    setEditing(v.name);
    setName(v.name);
    setSecret(v.secret);
    setValue(v.secret ? "" : v.value);
    save.reset();
  }

  // Setting and deleting variables needs admin (secrets included): a developer reads them only.
  const canEdit = useRole().can("admin");
  const saveError = save.error instanceof ApiError ? save.error : save.error ? new ApiError(save.error.message, 0) : null;
  const vars = list.data?.vars ?? [];

  return (
    <>
      {list.error ? <Alert>{(list.error as Error).message}</Alert> : null}
      {remove.error ? <Alert>{(remove.error as Error).message}</Alert> : null}
      <DataTable
        className="overflow-hidden rounded-xl border border-slate-200 bg-white"
        aria-label={`${environment} variables`}
        columns={["Name", "Value", "Updated", { header: "Actions", className: "px-4 py-3 text-right" }]}
      >
        {list.isPending ? (
          <MessageRow span={4}>Loading…</MessageRow>
        ) : vars.length === 0 ? (
          <MessageRow span={4}>No variables in {environment} yet.</MessageRow>
        ) : (
          vars.map((v) => (
            <tr key={v.name} data-testid={`env-${v.name}`}>
              <td className="px-4 py-3 font-mono">{v.name}</td>
              <td className="max-w-md px-4 py-3">
                {v.secret ? (
                  <span className="inline-flex items-center gap-2">
                    <span className="font-mono tracking-widest text-slate-500" aria-label="hidden secret value">••••••••</span>
                    <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800">secret</span>
                  </span>
                ) : (
                  <span className="break-all font-mono text-slate-700">{v.value === "" ? <em className="text-slate-500">empty</em> : v.value}</span>
                )}
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-500">{new Date(v.updatedAt).toLocaleString()}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                {canEdit ? (
                  <span className="inline-flex gap-3">
                    <button type="button" className="text-indigo-600 hover:text-indigo-500" aria-label={`Edit ${v.name}`} onClick={() => edit(v)}>Edit</button>
                    <button type="button" className="text-red-700 hover:text-red-600" aria-label={`Delete ${v.name}`} onClick={() => setConfirming(v.name)}>Delete</button>
                  </span>
                ) : null}
              </td>
            </tr>
          ))
        )}
      </DataTable>
      {confirming ? (
        <ConfirmDialog
          title={`Delete ${confirming}?`}
          message={<p>The {environment} variable {confirming} is removed; {environment === "production" ? "the live app stops seeing it on its next request" : "the preview stops seeing it"}.</p>}
          confirmLabel="Yes, delete"
          busy={remove.isPending}
          error={remove.error ? (remove.error as Error).message : undefined}
          onConfirm={() => remove.mutate(confirming)}
          onCancel={() => {
            remove.reset();
            setConfirming(null);
          }}
        />
      ) : null}
      {list.data ? <p className="text-xs text-slate-500">{vars.length} of {list.data.maxVars} variables.</p> : null}

      {canEdit ? null : <RoleNotice needs="admin">Owners and admins set variables and secrets.</RoleNotice>}
      {canEdit ? (
      <section aria-labelledby="env-form-heading" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="env-form-heading" className="text-sm font-semibold text-slate-700">
          {editing ? `Change ${editing}` : `Add a ${environment} variable`}
        </h2>
        <form onSubmit={submit} className="mt-4 grid gap-4 md:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
          <Field
            id="env-name"
            label="Name"
            placeholder="API_KEY"
            autoComplete="off"
            spellCheck={false}
            value={name}
            readOnly={editing !== null}
            onChange={(e) => setName(e.target.value)}
            error={saveError?.fieldError("name")}
          />
          <Field
            id="env-value"
            label="Value"
            type={secret ? "password" : "text"}
            autoComplete="off"
            spellCheck={false}
            placeholder={editing && secret ? "A new value (the old one cannot be shown)" : ""}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            error={saveError?.fieldError("value")}
          />
          <div className="flex flex-wrap items-center gap-4 md:col-span-2">
            <label className="inline-flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
              Secret
            </label>
            <span className="text-xs text-slate-500">Encrypted at rest, never shown again and never written to logs{environment === "preview" ? "; not passed to the preview" : ""}.</span>
            <div className="ml-auto flex gap-2">
              {editing ? (
                <button type="button" className="rounded-md px-3 py-2 text-sm" onClick={() => { setEditing(null); setName(""); setValue(""); setSecret(false); save.reset(); }}>
                  Cancel
                </button>
              ) : null}
              <Button type="submit" disabled={save.isPending || name.trim() === ""}>
                {save.isPending ? "Saving…" : "Save"}
              </Button>
            </div>
          </div>
          {formLevelErrors(saveError, ["name", "value"]).map((message) => (
            <div key={message} className="md:col-span-2">
              <Alert>{message}</Alert>
            </div>
          ))}
        </form>
      </section>
      ) : null}
    </>
  );
}
