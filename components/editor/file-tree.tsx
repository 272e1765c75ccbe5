"use client";

import { useState, type FormEvent } from "react";
import { SourcePath, isBinaryPath } from "@/lib/sources/source-files";

interface Props {
  files: Record<string, string>;
  active: string | null;
  errorsByFile: Record<string, number>;
  onOpen(path: string): void;
  onCreate(path: string): string | null;
  onRename(from: string, to: string): string | null;
  onDelete(path: string): void;
  onUploadWasm(file: File): void;
}

/** The app's files: open, create, rename, delete; upload a prebuilt .wasm. */
export function FileTree({ files, active, errorsByFile, onOpen, onCreate, onRename, onDelete, onUploadWasm }: Props) {
  const [mode, setMode] = useState<{ kind: "create" } | { kind: "rename"; path: string } | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const paths = Object.keys(files).sort((a, b) => (a === "wasmcompute.yaml" ? -1 : b === "wasmcompute.yaml" ? 1 : a.localeCompare(b)));

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = SourcePath.safeParse(name.trim());
    if (!parsed.success) return setError(parsed.error.issues[0]!.message);
    const problem = mode?.kind === "rename" ? onRename(mode.path, parsed.data) : onCreate(parsed.data);
    if (problem) return setError(problem);
    setMode(null);
    setError(null);
  }

  return (
    <nav aria-label="Files" className="flex h-full flex-col border-r border-slate-200 bg-slate-50 text-sm">
      <div className="flex items-center justify-between px-3 py-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">Files</span>
        <button type="button" className="rounded px-1.5 text-slate-600 hover:bg-slate-200" aria-label="New file" title="New file" onClick={() => (setMode({ kind: "create" }), setName(""), setError(null))}>
          +
        </button>
      </div>
      {mode ? (
        <form onSubmit={submit} className="px-2 pb-2">
          <label htmlFor="file-name" className="sr-only">
            {mode.kind === "rename" ? `New name for ${mode.path}` : "New file name"}
          </label>
          <input id="file-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setMode(null)} placeholder="util.ts, static/index.html" className="w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
          {error ? <p role="alert" className="mt-1 text-xs text-red-600">{error}</p> : null}
          <div className="mt-1 flex gap-1">
            <button type="submit" className="rounded bg-indigo-600 px-2 py-0.5 text-xs text-white">
              {mode.kind === "rename" ? "Rename" : "Create"}
            </button>
            <button type="button" className="rounded px-2 py-0.5 text-xs text-slate-600" onClick={() => setMode(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <ul className="flex-1 overflow-auto">
        {paths.map((p) => (
          <li key={p} className={`group flex items-center ${p === active ? "bg-indigo-100 text-indigo-900" : "hover:bg-slate-100"}`}>
            <button type="button" onClick={() => onOpen(p)} className="min-w-0 flex-1 truncate px-3 py-1 text-left font-mono text-xs" aria-current={p === active ? "true" : undefined} title={p}>
              {p}
              {isBinaryPath(p) ? <span className="ml-1 text-slate-500">(binary)</span> : null}
              {errorsByFile[p] ? <span className="ml-1 rounded bg-red-100 px-1 text-[10px] text-red-700">{errorsByFile[p]}</span> : null}
            </button>
            {/* Shown on hover and for the open file (touch screens have no hover). */}
            <span className={`${p === active ? "flex" : "hidden"} gap-0.5 pr-1 group-hover:flex group-focus-within:flex`}>
              <button type="button" className="rounded px-1 text-[11px] text-slate-500 hover:bg-slate-200" aria-label={`Rename ${p}`} onClick={() => (setMode({ kind: "rename", path: p }), setName(p), setError(null))}>
                ✎
              </button>
              <button type="button" className="rounded px-1 text-[11px] text-slate-500 hover:bg-red-100 hover:text-red-700" aria-label={`Delete ${p}`} onClick={() => onDelete(p)}>
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
      <div className="border-t border-slate-200 p-2">
        <label className="block cursor-pointer rounded border border-dashed border-slate-300 px-2 py-1.5 text-center text-xs text-slate-600 hover:bg-white">
          Upload prebuilt .wasm
          <input type="file" accept=".wasm,application/wasm" className="sr-only" aria-label="Upload prebuilt .wasm" onChange={(e) => e.target.files?.[0] && onUploadWasm(e.target.files[0])} />
        </label>
      </div>
    </nav>
  );
}
