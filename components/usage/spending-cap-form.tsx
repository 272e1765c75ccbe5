"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert, Button } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { SpendingCapMode } from "@/lib/billing/spending-cap";
import type { SpendingCapResponse } from "@/lib/client/types";

const money = (x: number, currency: string) => x.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function SpendingCapForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const state = useQuery({ queryKey: ["billing"], queryFn: () => api<SpendingCapResponse>("/billing"), refetchInterval: 30_000 });
  const [cap, setCap] = useState("");
  const [mode, setMode] = useState<SpendingCapMode>("hard");
  const current = state.data?.spendingCap;
  // The form starts from the saved cap once; after that only the user (or a save) changes it.
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    if (!current || edited) return;
    setCap(current.cap === null ? "" : String(current.cap));
    setMode(current.mode);
  }, [current?.cap, current?.mode, edited]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useMutation({
    mutationFn: (body: { cap: number | null; mode: SpendingCapMode }) => api<SpendingCapResponse>("/billing/cap", { method: "PUT", json: body }),
    onSuccess: (data) => {
      queryClient.setQueryData(["billing"], data);
      setEdited(false);
      void queryClient.invalidateQueries({ queryKey: ["usage"] });
      // The banner is rendered by the dashboard layout on the server.
      router.refresh();
    },
  });

  const pct = current?.percent ?? 0;
  return (
    <section id="spending-cap" aria-labelledby="cap-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="cap-heading" className="text-sm font-semibold text-slate-700">
        Spending cap
      </h2>
      <p className="mt-1 text-xs text-slate-500">
        A monthly limit on this tenant&apos;s bill. From 80% every console page warns. At 100% a hard cap makes the gateways answer 402 (not billed) until you raise it or the UTC month ends; an
        alert-only cap keeps serving. Nothing bills past a hard cap.
      </p>
      {current ? (
        <div className="mt-4" data-testid="cap-status">
          {current.cap === null ? (
            <p className="text-sm text-slate-600">
              No cap set. Month to date: <span className="font-mono">{money(current.spent, current.currency)}</span>.
            </p>
          ) : (
            <>
              <p className="text-sm text-slate-700">
                <span className="font-mono">{money(current.spent, current.currency)}</span> of <span className="font-mono">{money(current.cap, current.currency)}</span> (
                {Math.floor(pct)}%) · {current.mode === "hard" ? "hard stop" : "alert only"}
                {current.blocking ? <span className="ml-2 font-semibold text-red-700">Apps are paused (402)</span> : null}
              </p>
              <div className="mt-2 h-2 w-full overflow-hidden rounded bg-slate-100" role="progressbar" aria-label="Share of the cap spent" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, Math.round(pct))}>
                <div className={`h-full ${pct >= 100 ? "bg-red-500" : pct >= 80 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${Math.min(100, pct)}%` }} />
              </div>
            </>
          )}
        </div>
      ) : null}
      <form
        className="mt-4 flex flex-wrap items-end gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          const value = Number(cap);
          if (cap.trim() === "" || !Number.isFinite(value)) return;
          save.mutate({ cap: value, mode });
        }}
      >
        <label className="text-sm">
          <span className="block text-slate-600">Monthly cap ({current?.currency ?? "USD"})</span>
          <input
            type="number"
            min={0}
            step="any"
            required
            value={cap}
            onChange={(e) => {
              setEdited(true);
              setCap(e.target.value);
            }}
            className="mt-1 w-40 rounded-md border border-slate-300 px-2 py-1.5 font-mono"
          />
        </label>
        <fieldset className="text-sm">
          <legend className="text-slate-600">When reached</legend>
          <div className="mt-1 flex gap-4">
            <label className="flex items-center gap-1.5">
              <input type="radio" name="cap-mode" value="hard" checked={mode === "hard"} onChange={() => {
                  setEdited(true);
                  setMode("hard");
                }} /> Stop serving (402)
            </label>
            <label className="flex items-center gap-1.5">
              <input type="radio" name="cap-mode" value="alert" checked={mode === "alert"} onChange={() => {
                  setEdited(true);
                  setMode("alert");
                }} /> Alert only
            </label>
          </div>
        </fieldset>
        <Button type="submit" disabled={save.isPending}>
          Save cap
        </Button>
        {current?.cap !== null && current !== undefined ? (
          <button type="button" className="text-sm text-slate-600 underline underline-offset-2 hover:text-slate-900" disabled={save.isPending} onClick={() => save.mutate({ cap: null, mode })}>
            Remove cap
          </button>
        ) : null}
      </form>
      {save.isError ? (
        <div className="mt-3">
          <Alert>{save.error.message}</Alert>
        </div>
      ) : null}
      {save.isSuccess ? (
        <p className="mt-3 text-sm text-green-700" role="status">
          {save.data.spendingCap.cap === null ? "Cap removed." : "Cap saved."} Gateways apply it within a second.
        </p>
      ) : null}
    </section>
  );
}
