"use client";
// The preview's key-value data: the copy of production taken when the editor opened, its key count
// and changes, "Reload from server" (drop the preview's changes) and "Push preview data" — the one
// way the preview writes production, after a confirmation that lists what it will set and delete.
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatBytes, sizeOf, type KvChanges, type KvCopy, type KvEntries } from "@/lib/editor/preview-kv";

export interface KvState {
  status: "loading" | "ready" | "error";
  copy: KvCopy | null;
  error: string | null;
  current: KvEntries;
  changes: KvChanges;
  pushed: string | null;
  reload(): void | Promise<void>;
  push(): Promise<void>;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
function shortValue(v: Uint8Array): string {
  try {
    const text = decoder.decode(v);
    return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  } catch {
    return `${v.length} bytes (binary)`;
  }
}

const MAX_LISTED = 50;

export function PreviewKvData({ kv, attached, onAttachedChange }: { kv: KvState; attached: boolean; onAttachedChange(attached: boolean): void }) {
  const [confirming, setConfirming] = useState(false);
  const [pushing, setPushing] = useState(false);
  const [pushError, setPushError] = useState<string | null>(null);
  const keys = Object.keys(kv.current).sort();
  const changed = new Set([...kv.changes.set, ...kv.changes.del]);
  const dirty = changed.size > 0;

  async function push() {
    setPushing(true);
    setPushError(null);
    try {
      await kv.push();
      setConfirming(false);
    } catch (e) {
      setPushError(e instanceof Error ? e.message : String(e));
    } finally {
      setPushing(false);
    }
  }

  return (
    <details className="text-xs" data-testid="preview-kv">
      <summary className="cursor-pointer text-slate-600">
        Preview data:{" "}
        <span data-testid="preview-kv-summary">
          {kv.status === "loading" ? "copying from the server…" : kv.status === "error" ? "copy failed" : `${keys.length.toLocaleString()} ${keys.length === 1 ? "key" : "keys"}`}
        </span>
        {dirty ? (
          <span className="ml-1 rounded bg-amber-100 px-1 text-amber-800" data-testid="preview-kv-dirty">
            {changed.size} unpushed {changed.size === 1 ? "change" : "changes"}
          </span>
        ) : kv.status === "ready" ? (
          <span className="ml-1 text-slate-500">· same as when copied</span>
        ) : null}
      </summary>
      <div className="mt-1 space-y-1">
        <p className="text-slate-500">
          Key-value calls in the preview use this copy of the app&apos;s <code>default</code> store{kv.copy ? ` (${formatBytes(sizeOf(kv.current))})` : ""}, taken{" "}
          {kv.copy ? `at ${new Date(kv.copy.copiedAt).toLocaleTimeString()}` : "when the editor opened"}; production is not changed until you push.
        </p>
        {kv.copy?.truncated ? (
          <p className="rounded bg-amber-50 px-2 py-1 text-amber-800" data-testid="preview-kv-truncated">{kv.copy.truncated}</p>
        ) : null}
        {kv.error ? (
          <p role="alert" className="text-red-700">{kv.error}</p>
        ) : null}
        {kv.pushed && !dirty ? <p className="text-emerald-700" data-testid="preview-kv-pushed">{kv.pushed}</p> : null}
        <div className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1 text-slate-600">
            <input type="checkbox" checked={attached} onChange={(e) => onAttachedChange(e.target.checked)} /> attach to the preview
          </label>
          <button type="button" className="ml-auto text-indigo-600 hover:underline disabled:opacity-50" disabled={kv.status === "loading"} onClick={kv.reload}>
            Reload from server
          </button>
          <button type="button" disabled={!dirty || kv.status !== "ready"} onClick={() => setConfirming(true)} className="rounded border border-amber-400 px-2 py-0.5 text-amber-800 hover:bg-amber-50 disabled:border-slate-200 disabled:text-slate-500">
            Push preview data…
          </button>
        </div>
        {keys.length ? (
          <ul className="max-h-32 overflow-auto rounded border border-slate-100 font-mono text-[11px]" aria-label="Preview keys">
            {keys.slice(0, MAX_LISTED).map((k) => (
              <li key={k} className={`flex gap-2 px-1 ${changed.has(k) ? "bg-amber-50" : ""}`} data-testid="preview-kv-key">
                <span className="truncate">{k}</span>
                <span className="ml-auto truncate text-slate-500">{shortValue(kv.current[k]!)}</span>
              </li>
            ))}
            {kv.changes.del.map((k) => (
              <li key={`del:${k}`} className="flex gap-2 bg-amber-50 px-1 text-slate-500 line-through">
                {k}
              </li>
            ))}
            {keys.length > MAX_LISTED ? <li className="px-1 text-slate-500">… {keys.length - MAX_LISTED} more</li> : null}
          </ul>
        ) : null}
      </div>

      {confirming ? (
        <ConfirmDialog
          title="Push preview data to production?"
          tone="warning"
          message={
            <>
              <p data-testid="push-kv-counts">
                This will set <strong>{kv.changes.set.length}</strong> {kv.changes.set.length === 1 ? "key" : "keys"} and delete <strong>{kv.changes.del.length}</strong>{" "}
                {kv.changes.del.length === 1 ? "key" : "keys"} in the app&apos;s production <code>default</code> store, overwriting what production holds for them now.
              </p>
              <ul className="max-h-40 overflow-auto rounded border border-slate-200 font-mono text-xs">
                {kv.changes.set.slice(0, MAX_LISTED).map((k) => (
                  <li key={`s:${k}`} className="px-2">set {k}</li>
                ))}
                {kv.changes.del.slice(0, MAX_LISTED).map((k) => (
                  <li key={`d:${k}`} className="px-2 text-red-700">delete {k}</li>
                ))}
              </ul>
            </>
          }
          confirmLabel="Push to production"
          busy={pushing}
          error={pushError ?? undefined}
          onConfirm={() => void push()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </details>
  );
}
