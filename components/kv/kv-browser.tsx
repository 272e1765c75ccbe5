"use client";

// An app's key-value store in the console: quota use, keys by prefix in pages (cursor-based, so
// it stays fast with 100,000 keys), a value panel (text / JSON / hex / base64) to edit or delete,
// a form to add a key, and bulk delete by prefix behind a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { ConfirmDialog, useConfirm } from "@/components/confirm-dialog";
import { Alert, Button, Field } from "@/components/ui";
import { api, ApiError } from "@/lib/client/api";
import { defaultView, formatExpiry, formatSize, prettyJson, render, type ValueView } from "./value-format";

import type { KvPageResponse as Page, KvUsageView as Usage, KvValueView as Entry } from "@/lib/client/types";
import { Breadcrumbs, appCrumbs } from "@/components/layout/breadcrumbs";

const PAGE_SIZE = 50;
const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.set(k, v);
  return `?${s}`;
};

export function KvBrowser({ app }: { app: string }) {
  const base = `/apps/${encodeURIComponent(app)}/kv`;
  const queryClient = useQueryClient();
  const [prefixInput, setPrefixInput] = useState("");
  const [prefix, setPrefix] = useState("");
  // Cursors of the pages before the current one, for "Previous".
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const [selected, setSelected] = useState<string | null>(null);

  const usage = useQuery({ queryKey: ["kv-usage", app], queryFn: () => api<{ usage: Usage }>(`${base}/usage`).then((r) => r.usage) });
  const page = useQuery({
    queryKey: ["kv-keys", app, prefix, cursor],
    queryFn: () => api<Page>(`${base}${q({ prefix, cursor, limit: String(PAGE_SIZE) })}`),
    placeholderData: (previous) => previous,
  });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ["kv-keys", app] }), queryClient.invalidateQueries({ queryKey: ["kv-usage", app] })]);
  // A key added over one that existed (after asking) shows its new value, not the one read before.
  const refreshKey = (key: string) => Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: ["kv-entry", base, key] })]);

  function search(event: FormEvent) {
    event.preventDefault();
    setPrefix(prefixInput);
    setCursors([undefined]);
  }

  return (
    <div className="max-w-6xl space-y-6">
      <header>
        <Breadcrumbs trail={appCrumbs(app)} />
        <h1 className="text-2xl font-semibold">Key-value store</h1>
        <p className="mt-1 text-sm text-slate-500">
          What the app&apos;s functions read and write with <code className="font-mono">kv_get</code>, <code className="font-mono">kv_set</code>…
          Changes here apply to the next request.
        </p>
      </header>

      <UsagePanel usage={usage.data} />

      {/* The value panel gets the wider column: a hex dump line is ~70 characters. */}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-labelledby="keys-heading" className="rounded-xl border border-slate-200 bg-white p-6">
          <h2 id="keys-heading" className="text-sm font-semibold text-slate-700">Keys</h2>
          <form onSubmit={search} className="mt-3 flex items-end gap-2">
            <div className="flex-1">
              <Field id="kv-prefix" label="Prefix" placeholder="user:" value={prefixInput} onChange={(e) => setPrefixInput(e.target.value)} />
            </div>
            <Button type="submit">Filter</Button>
          </form>
          {page.error ? <div className="mt-3"><Alert>{(page.error as Error).message}</Alert></div> : null}
          {/* The list scrolls inside its card, so a key clicked far down a 50-key page still has
              its value panel beside it (the page itself stays about one screen tall). */}
          <div className="mt-4 max-h-[28rem] overflow-y-auto">
            <table className="w-full table-fixed text-left text-sm" aria-label="Keys">
              <thead className="sticky top-0 bg-white text-xs uppercase text-slate-500">
                <tr><th className="py-1">Key</th><th className="w-16 py-1">Size</th><th className="w-24 py-1">Expires</th></tr>
              </thead>
              <tbody>
                {page.data?.keys.map((k) => (
                  <tr key={k.key} className={`border-t border-slate-100 ${selected === k.key ? "bg-indigo-50" : ""}`}>
                    <td className="truncate py-1.5 font-mono">
                      <button type="button" className="max-w-full truncate text-left text-indigo-700 hover:underline" onClick={() => setSelected(k.key)}>
                        {k.key}
                      </button>
                    </td>
                    <td className="whitespace-nowrap py-1.5 text-slate-600">{formatSize(k.size)}</td>
                    <td className="whitespace-nowrap py-1.5 text-slate-600" title={k.expiresAt ? new Date(k.expiresAt).toLocaleString() : undefined}>{k.expiresAt ? formatExpiry(k.expiresAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.data && page.data.keys.length === 0 ? <p className="mt-3 text-sm text-slate-500">{prefix ? `No keys start with "${prefix}".` : "No keys yet."}</p> : null}
          <div className="mt-4 flex items-center justify-between">
            <button type="button" className="text-sm text-indigo-600 disabled:text-slate-300" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              ← Previous
            </button>
            <span className="text-xs text-slate-500">Page {cursors.length}</span>
            <button type="button" className="text-sm text-indigo-600 disabled:text-slate-300" disabled={!page.data?.nextCursor} onClick={() => setCursors((c) => [...c, page.data!.nextCursor!])}>
              Next →
            </button>
          </div>
          <BulkDelete base={base} prefix={prefix} onDeleted={() => { setSelected(null); setCursors([undefined]); return refresh(); }} />
        </section>

        <div className="space-y-6">
          {selected !== null ? <ValuePanel base={base} keyName={selected} onChanged={refresh} onDeleted={() => { setSelected(null); return refresh(); }} /> : null}
          <AddKey base={base} onAdded={(key) => { setSelected(key); return refreshKey(key); }} />
        </div>
      </div>
    </div>
  );
}

function UsagePanel({ usage }: { usage: Usage | undefined }) {
  if (!usage) return null;
  const bar = (used: number, max: number) => Math.min(100, Math.round((used / max) * 100));
  return (
    <section aria-label="Quota use" className="rounded-xl border border-slate-200 bg-white p-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Meter label="Keys" text={`${usage.keys.toLocaleString()} of ${usage.quotas.maxKeys.toLocaleString()}`} percent={bar(usage.keys, usage.quotas.maxKeys)} />
        <Meter label="Storage" text={`${formatSize(usage.bytes)} of ${formatSize(usage.quotas.maxTotalBytes)}`} percent={bar(usage.bytes, usage.quotas.maxTotalBytes)} />
        <div>
          <p className="text-xs font-medium uppercase text-slate-500">Largest value</p>
          <p className="mt-1 text-sm">{formatSize(usage.quotas.maxValueBytes)}</p>
        </div>
      </div>
      {usage.warnings.length > 0 ? (
        <div className="mt-4">
          <Alert>Close to the datastore quota: {usage.warnings.join(" ")} Writes past it fail (functions get an error).</Alert>
        </div>
      ) : null}
    </section>
  );
}

function Meter({ label, text, percent }: { label: string; text: string; percent: number }) {
  return (
    <div>
      <p className="text-xs font-medium uppercase text-slate-500">{label}</p>
      <p className="mt-1 text-sm">{text}</p>
      <div className="mt-2 h-2 rounded bg-slate-100" role="meter" aria-label={`${label} used`} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-2 rounded ${percent >= 80 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function ValuePanel({ base, keyName, onChanged, onDeleted }: { base: string; keyName: string; onChanged: () => unknown; onDeleted: () => unknown }) {
  const entry = useQuery({
    queryKey: ["kv-entry", base, keyName],
    queryFn: () => api<{ entry: Entry }>(`${base}/entry${q({ key: keyName })}`).then((r) => r.entry),
  });
  const [view, setView] = useState<ValueView>("text");
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  useEffect(() => {
    if (entry.data) setView(defaultView(entry.data.value, entry.data.encoding));
    setEditing(false);
  }, [entry.data]);

  const save = useMutation({
    mutationFn: () => api<{ entry: Entry }>(`${base}/entry${q({ key: keyName })}`, { method: "PUT", json: { value: draft, encoding: entry.data?.encoding === "base64" ? "base64" : "utf8" } }),
    onSuccess: async () => {
      setEditing(false);
      await entry.refetch();
      await onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`${base}/entry${q({ key: keyName })}`, { method: "DELETE" }),
    onSuccess: () => onDeleted(),
  });
  const { confirm, dialog } = useConfirm();

  return (
    <section aria-labelledby="value-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="value-heading" className="break-all font-mono text-sm font-semibold text-slate-700">{keyName}</h2>
      {entry.error ? <div className="mt-3"><Alert>{(entry.error as Error).message}</Alert></div> : null}
      {entry.data ? (
        <>
          <p className="mt-1 text-xs text-slate-500">
            {formatSize(entry.data.size)} · updated {new Date(entry.data.updatedAt).toLocaleString()}
            {entry.data.expiresAt ? ` · expires ${new Date(entry.data.expiresAt).toLocaleString()}` : ""}
          </p>
          {editing ? (
            <div className="mt-3 space-y-2">
              <label htmlFor="kv-edit" className="block text-sm font-medium text-slate-700">
                Value {entry.data.encoding === "base64" ? "(base64)" : ""}
              </label>
              <textarea id="kv-edit" value={draft} onChange={(e) => setDraft(e.target.value)} rows={10} className="block w-full rounded-md border border-slate-300 p-2 font-mono text-xs" />
              {save.error ? <Alert>{(save.error as ApiError).message}</Alert> : null}
              <div className="flex gap-2">
                <Button type="button" onClick={() => save.mutate()} disabled={save.isPending}>Save</Button>
                <button type="button" className="text-sm text-slate-600" onClick={() => setEditing(false)}>Cancel</button>
              </div>
            </div>
          ) : (
            <>
              <div className="mt-3 flex gap-1" role="group" aria-label="Show as">
                {(["text", "json", "hex", "base64"] as const).map((v) => (
                  <button
                    key={v}
                    type="button"
                    aria-pressed={view === v}
                    // JSON only for a value that parses as JSON.
                    disabled={v === "json" && (entry.data!.encoding !== "utf8" || prettyJson(entry.data!.value) === null)}
                    onClick={() => setView(v)}
                    className={`rounded px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-40 ${view === v ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-700"}`}
                  >
                    {v === "json" ? "JSON" : v}
                  </button>
                ))}
              </div>
              <pre className={`mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-3 font-mono ${view === "hex" ? "text-[11px]" : "text-xs"}`} data-testid="kv-value">{render(entry.data.value, entry.data.encoding, view)}</pre>
              <div className="mt-3 flex gap-2">
                <Button type="button" onClick={() => { setDraft(entry.data!.value); setEditing(true); }}>Edit</Button>
                <button
                  type="button"
                  className="rounded-md border border-red-200 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50"
                  onClick={async () => {
                    if (await confirm({ title: `Delete the key "${keyName}"?`, message: <p>Production reads of this key find nothing from now on. It cannot be undone.</p>, confirmLabel: "Delete the key" })) remove.mutate();
                  }}
                >
                  Delete key
                </button>
              </div>
              {remove.error ? <div className="mt-2"><Alert>{(remove.error as ApiError).message}</Alert></div> : null}
              {dialog}
            </>
          )}
        </>
      ) : null}
    </section>
  );
}

function AddKey({ base, onAdded }: { base: string; onAdded: (key: string) => unknown }) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [ttl, setTtl] = useState("");
  // The key the store already holds, while the person is asked whether to replace its value.
  const [existing, setExisting] = useState<string | null>(null);
  const add = useMutation({
    // "Add" writes only where the key is absent (compare-and-set against nothing, 409 otherwise),
    // so an existing value is never replaced without asking, whoever wrote it meanwhile.
    mutationFn: async ({ replace }: { replace: boolean }) => {
      const input = { value, ...(ttl ? { ttlSeconds: Number(ttl) } : {}) };
      if (replace) await api<{ entry: Entry }>(`${base}/entry${q({ key })}`, { method: "PUT", json: input });
      else await api(`${base}/cas${q({ key })}`, { method: "POST", json: { expected: null, ...input } });
    },
    onSuccess: async () => {
      const added = key;
      setExisting(null);
      setKey("");
      setValue("");
      setTtl("");
      await onAdded(added);
    },
    onError: (e, { replace }) => {
      if (!replace && e instanceof ApiError && e.status === 409) setExisting(key);
    },
  });
  // A 409 of "add" is the question below, and the replace's own error shows in it.
  const asking = add.variables?.replace || (add.error instanceof ApiError && add.error.status === 409);
  const error = asking ? null : (add.error as ApiError | null);
  return (
    <section aria-labelledby="add-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="add-heading" className="text-sm font-semibold text-slate-700">Add a key</h2>
      <form className="mt-3 space-y-3" onSubmit={(e) => { e.preventDefault(); add.mutate({ replace: false }); }} noValidate>
        <Field id="kv-new-key" label="Key" value={key} onChange={(e) => setKey(e.target.value)} error={error?.field === "key" ? error.message : undefined} />
        <div className="space-y-1">
          <label htmlFor="kv-new-value" className="block text-sm font-medium text-slate-700">Value</label>
          <textarea id="kv-new-value" value={value} onChange={(e) => setValue(e.target.value)} rows={4} className="block w-full rounded-md border border-slate-300 p-2 font-mono text-xs" />
        </div>
        <Field id="kv-new-ttl" label="Expires after (seconds, optional)" inputMode="numeric" value={ttl} onChange={(e) => setTtl(e.target.value.replace(/\D/g, ""))} />
        {error && error.field !== "key" ? <Alert>{error.message}</Alert> : null}
        <Button type="submit" disabled={add.isPending || !key}>Add key</Button>
      </form>
      {existing !== null ? (
        <ConfirmDialog
          label="Confirm replacing a value"
          title={`Replace the value of "${existing}"?`}
          tone="warning"
          message={<p>This store already has the key &ldquo;{existing}&rdquo;. Adding it replaces its value (and its expiry) with the one you typed; the old value cannot be brought back.</p>}
          confirmLabel="Replace the value"
          busy={add.isPending}
          error={add.isError && add.variables?.replace ? add.error.message : undefined}
          onConfirm={() => add.mutate({ replace: true })}
          onCancel={() => {
            setExisting(null);
            add.reset();
          }}
        />
      ) : null}
    </section>
  );
}

function BulkDelete({ base, prefix, onDeleted }: { base: string; prefix: string; onDeleted: () => unknown }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: (target: string) => api<{ deleted: number }>(`${base}/delete-prefix`, { method: "POST", json: { prefix: target, all: target === "" } }),
    onSuccess: async () => {
      setConfirming(false);
      await onDeleted();
    },
  });
  const label = prefix ? `every key starting with "${prefix}"` : "every key of this store";
  const expected = prefix || "delete all";
  return (
    <div className="mt-6 border-t border-slate-100 pt-4">
      {remove.data ? <p className="mb-2 text-sm text-slate-600" role="status">Deleted {remove.data.deleted} {remove.data.deleted === 1 ? "key" : "keys"}{remove.variables ? ` starting with "${remove.variables}"` : ""}.</p> : null}
      <button type="button" className="text-sm text-red-700 hover:underline" onClick={() => setConfirming(true)}>
        Delete {label}…
      </button>
      {confirming ? (
        <ConfirmDialog
          title={`Delete ${label}?`}
          message={<p>This deletes {label}. It cannot be undone.</p>}
          requireText={expected}
          confirmLabel="Delete keys"
          busy={remove.isPending}
          error={remove.error ? (remove.error as Error).message : undefined}
          onConfirm={() => remove.mutate(prefix)}
          onCancel={() => {
            remove.reset();
            setConfirming(false);
          }}
        />
      ) : null}
    </div>
  );
}
