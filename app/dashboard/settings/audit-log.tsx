"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { DataTable } from "@/components/data-table";
import { Alert } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { AuditEventView } from "@/lib/audit/find-audit-events";

interface AuditPage {
  events: AuditEventView[];
  nextCursor: string | null;
}

const ACTION_LABELS: Record<string, string> = {
  "auth.sign_up": "Account created",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.locked": "Sign-in paused",
  "auth.sign_out": "Signed out",
  "auth.sessions_revoked": "Signed out everywhere",
  "auth.password_changed": "Password changed",
  "token.created": "Token created",
  "token.revoked": "Token revoked",
  "app.created": "App created",
  "app.deleted": "App deleted",
  "version.published": "Version published",
  deploy: "Deployed",
  rollback: "Rolled back",
  undeploy: "Route taken down",
  "env.set": "Variable set",
  "env.deleted": "Variable deleted",
  "secret.set": "Secret set",
  "secret.deleted": "Secret deleted",
  "spending_cap.changed": "Spending cap changed",
};

const WARNING_ACTIONS = new Set(["auth.sign_in_failed", "auth.locked", "app.deleted", "token.revoked"]);

/** The tenant's security events, newest first, a page at a time. */
export function AuditLog() {
  const log = useInfiniteQuery({
    queryKey: ["audit"],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api<AuditPage>(`/audit?limit=50${pageParam ? `&before=${pageParam}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  const events = log.data?.pages.flatMap((p) => p.events) ?? [];

  return (
    <section aria-labelledby="audit-log" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-baseline justify-between border-b border-slate-100 px-6 py-4">
        <h2 id="audit-log" className="text-sm font-semibold text-slate-700">Audit log</h2>
        <p className="text-xs text-slate-500">Sign-ins, tokens, apps, deploys and secrets; also at GET /api/v1/audit</p>
      </div>
      {log.isError ? (
        <div className="p-6"><Alert>{(log.error as Error).message}</Alert></div>
      ) : events.length ? (
        <DataTable headCell="px-4 py-2 font-medium" columns={[{ header: "Time", className: "px-6 py-2 font-medium" }, "Actor", "Action", "Target", "IP"]}>
          {events.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td className="whitespace-nowrap px-6 py-2 text-slate-500">
                <time dateTime={e.time} title={e.time}>{new Date(e.time).toLocaleString()}</time>
              </td>
              <td className="px-4 py-2 font-mono text-xs">{e.actor}</td>
              <td className="px-4 py-2">
                <span className={WARNING_ACTIONS.has(e.action) ? "text-amber-700" : ""} title={e.action}>
                  {ACTION_LABELS[e.action] ?? e.action}
                </span>
              </td>
              <td className="break-all px-4 py-2 font-mono text-xs">{e.target ?? "—"}</td>
              <td className="px-4 py-2 font-mono text-xs text-slate-500">{e.ip ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="px-6 py-4 text-sm text-slate-500">{log.isPending ? "Loading…" : "No events yet."}</p>
      )}
      {log.hasNextPage ? (
        <div className="border-t border-slate-100 px-6 py-3">
          <button type="button" className="text-sm text-indigo-600 hover:text-indigo-500" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            {log.isFetchingNextPage ? "Loading…" : "Show older events"}
          </button>
        </div>
      ) : null}
    </section>
  );
}
