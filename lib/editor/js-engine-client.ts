// The JavaScript engine module for the IDE's preview and Publish (a JavaScript app's module is the
// engine, docs/javascript.md), fetched once per page from the console.
import { JS_ENGINE_URL } from "./compile-js";

let engine: Promise<Uint8Array> | null = null;

export function loadJsEngine(): Promise<Uint8Array> {
  engine ??= fetch(JS_ENGINE_URL, { credentials: "same-origin" })
    .then(async (res) => {
      if (!res.ok) throw new Error(`could not load the JavaScript engine from ${JS_ENGINE_URL}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    })
    .catch((e: unknown) => {
      engine = null; // the next build tries again
      throw e;
    });
  return engine;
}
