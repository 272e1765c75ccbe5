// The shape shared by the lib/wasm case lists (wasi-host-cases.ts, wagi-environment-cases.ts,
// cgi-response-cases.ts, wagi-routes-cases.ts): each case is plain data plus a `run` that returns
// a JSON-able summary, and the summary it must produce. The same lists run in Node (the vitest
// file beside each list, a thin runner) and in Chromium (e2e/wasm-host), so a case may use only
// lib/wasm and what both have (WebAssembly, TextEncoder, crypto, performance).

export type Modules = Readonly<Record<string, WebAssembly.Module>>;

export interface HostCase {
  name: string;
  /** WAT sources by key, compiled by the caller (wabt in Node; the page gets them pre-compiled). */
  wat?: Readonly<Record<string, string>>;
  run(modules: Modules): unknown;
  expected: unknown;
}

/** A module the caller compiled for this case; a missing one is a bug in the runner. */
export function moduleOf(modules: Modules, key: string): WebAssembly.Module {
  const module = modules[key];
  if (!module) throw new Error(`the runner did not pass module "${key}"`);
  return module;
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export type Refusal = { error: string; says?: string } | { error: null };

/**
 * What `fn` threw, as data: the error's name (its class must be `kind`), and `says` — the
 * pattern's source when the message matches it, the whole message otherwise, so that a
 * mismatch shows what was said instead. `{ error: null }` when nothing was thrown.
 */
export function refusal(fn: () => unknown, says?: RegExp, kind: abstract new (...args: never[]) => Error = Error): Refusal {
  try {
    fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The name, not kind.name: bundlers may rename classes, an error's own name stays.
    const error = e instanceof kind ? e.name : `not a ${kind.name}: ${e instanceof Error ? e.name : typeof e}`;
    return says === undefined ? { error } : { error, says: says.test(message) ? says.source : message };
  }
  return { error: null };
}
