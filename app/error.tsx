"use client";

// Shown instead of any server error: no stack trace or message from the server reaches the user.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="max-w-md text-sm text-slate-500">
        The console could not complete this request. Try again; if it keeps happening, give the operator this reference:{" "}
        <span className="font-mono">{error.digest ?? "n/a"}</span>
      </p>
      <button type="button" onClick={reset} className="rounded-md bg-indigo-600 px-4 py-2 text-sm text-white hover:bg-indigo-500">
        Try again
      </button>
    </main>
  );
}
