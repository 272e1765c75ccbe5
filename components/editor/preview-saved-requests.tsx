"use client";
// Saved requests of the preview's request panel: stored per app on the server
// (/api/v1/apps/{app}/requests), listed by name, loaded with one click, overwritten, deleted.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useConfirm } from "@/components/confirm-dialog";
import { api } from "@/lib/client/api";
import type { PreviewRequestInput } from "@/lib/editor/preview-protocol";
import type { SavedRequestResponse, SavedRequestsResponse, SavedRequestView } from "@/lib/client/types";

export type EditedRequest = PreviewRequestInput & { headerText: string };

/** The saved form of a request: the query travels inside the path. */
export function toSaved(request: EditedRequest) {
  const query = request.query.replace(/^\?/, "");
  const path = request.path.startsWith("/") ? request.path : `/${request.path}`;
  return { method: request.method, path: query ? `${path}?${query}` : path, headers: request.headers.filter(([k]) => k.trim() !== ""), body: request.body };
}

export function fromSaved(saved: Pick<SavedRequestView, "method" | "path" | "headers" | "body">): EditedRequest {
  const q = saved.path.indexOf("?");
  return {
    method: saved.method,
    path: q < 0 ? saved.path : saved.path.slice(0, q),
    query: q < 0 ? "" : saved.path.slice(q + 1),
    headers: saved.headers,
    headerText: saved.headers.map(([k, v]) => `${k}: ${v}`).join("\n"),
    body: saved.body,
  };
}

export function SavedRequests({ appName, request, onLoad }: { appName: string; request: EditedRequest; onLoad(request: EditedRequest): void }) {
  const queryClient = useQueryClient();
  const key = ["saved-requests", appName];
  const list = useQuery({ queryKey: key, queryFn: () => api<SavedRequestsResponse>(`/apps/${appName}/requests`).then((r) => r.requests) });
  const [name, setName] = useState("");
  const [loaded, setLoaded] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (as: string) => api<SavedRequestResponse>(`/apps/${appName}/requests/${encodeURIComponent(as)}`, { method: "PUT", json: toSaved(request) }),
    onSuccess: ({ request: saved }) => {
      setError(null);
      setLoaded(saved.name);
      setName("");
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (e) => setError(e.message),
  });
  const remove = useMutation({
    mutationFn: (as: string) => api<void>(`/apps/${appName}/requests/${encodeURIComponent(as)}`, { method: "DELETE" }),
    onSuccess: (_, as) => {
      setError(null);
      if (loaded === as) setLoaded(null);
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (e) => setError(e.message),
  });

  const { confirm, dialog } = useConfirm();
  async function saveAs(target: string) {
    const trimmed = target.trim();
    if (!trimmed) return setError("Name the request first.");
    const exists = list.data?.some((r) => r.name === trimmed);
    if (exists && trimmed !== loaded && !(await confirm({ title: `Replace the saved request "${trimmed}"?`, message: <p>It is overwritten with the request above.</p>, confirmLabel: "Replace it", tone: "warning" }))) return;
    save.mutate(trimmed);
  }

  const requests = list.data ?? [];
  return (
    <details open className="text-xs" data-testid="saved-requests">
      <summary className="cursor-pointer text-slate-600">Saved requests ({requests.length})</summary>
      <div className="mt-1 space-y-1">
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void saveAs(name);
          }}
        >
          <label htmlFor="saved-request-name" className="sr-only">Request name</label>
          <input id="saved-request-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name this request" maxLength={80} className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-0.5" />
          <button type="submit" disabled={save.isPending} className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50 disabled:opacity-50">
            Save request
          </button>
        </form>
        {error ? (
          <p role="alert" className="text-red-700">{error}</p>
        ) : null}
        {list.isError ? <p role="alert" className="text-red-700">{list.error.message}</p> : null}
        {requests.length ? (
          <ul className="max-h-28 overflow-auto rounded border border-slate-100" aria-label="Saved requests">
            {requests.map((r) => (
              <li key={r.name} className={`flex items-center gap-1 border-b border-slate-100 px-1 last:border-0 ${r.name === loaded ? "bg-indigo-50" : ""}`}>
                <button
                  type="button"
                  className="flex min-w-0 flex-1 items-baseline gap-1 py-0.5 text-left hover:text-indigo-700"
                  title={`Load: ${r.method} ${r.path}`}
                  aria-label={`Load saved request ${r.name}`}
                  onClick={() => {
                    onLoad(fromSaved(r));
                    setLoaded(r.name);
                    setError(null);
                  }}
                >
                  <span className="truncate font-medium">{r.name}</span>
                  <span className="truncate font-mono text-[11px] text-slate-500">
                    {r.method} {r.path}
                  </span>
                </button>
                {r.name === loaded ? (
                  <button type="button" disabled={save.isPending} onClick={() => void saveAs(r.name)} aria-label={`Update saved request ${r.name}`} title={`Overwrite "${r.name}" with the request above`} className="text-indigo-600 hover:underline">
                    update
                  </button>
                ) : null}
                <button
                  type="button"
                  aria-label={`Delete saved request ${r.name}`}
                  className="px-1 text-slate-500 hover:text-red-700"
                  onClick={async () => {
                    if (await confirm({ title: `Delete the saved request "${r.name}"?`, confirmLabel: "Delete it" })) remove.mutate(r.name);
                  }}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : list.isSuccess ? (
          <p className="text-slate-500">None yet: name the request above and save it.</p>
        ) : null}
      </div>
      {dialog}
    </details>
  );
}
