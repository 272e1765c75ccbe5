"use client";
// The console's one confirmation for destructive actions (no `window.confirm`): a modal <dialog>
// (the page behind it is inert), focus kept inside (Tab wraps), Escape or Cancel changes nothing,
// focus starts on the safe choice (or on the text to type) and returns where it was on close.
import { useCallback, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface ConfirmOptions {
  title: string;
  message?: ReactNode;
  /** The confirm button's text: what happens ("Delete app.wasm", "Roll back to 1.0.0"). */
  confirmLabel: string;
  tone?: "danger" | "warning";
  /** The accessible name when it should differ from the title. */
  label?: string;
  /** For what cannot be undone at scale: the confirm button works once this exact text is typed. */
  requireText?: string;
  requireTextLabel?: string;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  tone = "danger",
  label,
  requireText,
  requireTextLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmOptions & { busy?: boolean; error?: ReactNode; onConfirm(): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState("");

  useLayoutEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      if (before?.isConnected) before.focus();
    };
  }, []);

  // Tab and Shift+Tab wrap inside the dialog.
  function keepFocus(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab" || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  const canConfirm = !busy && (requireText === undefined || typed === requireText);
  const confirmStyle = tone === "danger" ? "bg-red-700 hover:bg-red-600 focus-visible:outline-red-700" : "bg-amber-700 hover:bg-amber-600 focus-visible:outline-amber-700";
  return (
    <dialog
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      aria-label={label}
      aria-labelledby={label ? undefined : `${id}-title`}
      aria-describedby={message ? `${id}-message` : undefined}
      onCancel={(e) => {
        // Escape: the parent closes it (by unmounting), so that its state stays the one truth.
        e.preventDefault();
        if (!busy) onCancel();
      }}
      onKeyDown={keepFocus}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-800 shadow-xl backdrop:bg-slate-900/50"
    >
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {message ? (
        <div id={`${id}-message`} className="mt-2 space-y-2 text-slate-700">
          {message}
        </div>
      ) : null}
      {requireText !== undefined ? (
        <div className="mt-3 space-y-1">
          <label htmlFor={`${id}-typed`} className="block text-sm font-medium text-slate-700">
            {requireTextLabel ?? (
              <>
                Type <code className="font-mono">{requireText}</code> to confirm
              </>
            )}
          </label>
          <input
            id={`${id}-typed`}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-100"
          />
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      ) : null}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button type="button" autoFocus={requireText === undefined} disabled={busy} onClick={onCancel} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
          Cancel
        </button>
        <button type="button" disabled={!canConfirm} onClick={onConfirm} className={`rounded-md px-4 py-2 text-sm font-medium text-white shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${confirmStyle}`}>
          {busy ? "Working…" : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * `await confirm({ … })` where code used `window.confirm`: resolves true on confirm, false on
 * Cancel or Escape. Render `dialog` somewhere in the component.
 */
export function useConfirm(): { confirm(options: ConfirmOptions): Promise<boolean>; dialog: ReactNode } {
  const [pending, setPending] = useState<(ConfirmOptions & { resolve(ok: boolean): void }) | null>(null);
  const confirm = useCallback((options: ConfirmOptions) => new Promise<boolean>((resolve) => setPending({ ...options, resolve })), []);
  const dialog = pending ? (
    <ConfirmDialog
      {...pending}
      onConfirm={() => {
        pending.resolve(true);
        setPending(null);
      }}
      onCancel={() => {
        pending.resolve(false);
        setPending(null);
      }}
    />
  ) : null;
  return { confirm, dialog };
}
