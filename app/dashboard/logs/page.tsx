import type { Metadata } from "next";
import { Suspense } from "react";
import { LogsView } from "@/components/logs/logs-view";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Logs" };

export default async function LogsPage() {
  await requireSessionUser();
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
      <LogsView />
    </Suspense>
  );
}
