// @ts-nocheck: AssemblyScript, compiled by asc (this line keeps the project's tsc away from it).
// A counter and a small key-value API on the AssemblyScript SDK (sdk/assemblyscript), with the
// same routes as the C and Rust examples (see sdk/c/examples/kv-counter.c);
// lib/kv/kv-sdk.test.ts runs all three through a gateway. Compiles in the console's editor as is.
import { kv, request, Response, text, KV_CONFLICT, KV_NOT_FOUND } from "wasmcompute";

function fail(): void {
  const code = kv.lastError;
  const status = code == KV_NOT_FOUND ? 404 : code == KV_CONFLICT ? 409 : 500;
  text("error " + code.toString() + "\n", status);
}

const req = request();
const path = req.path;

if (path == "/" || path == "/count") {
  const hits = kv.incr("hits", 1);
  if (kv.lastError != 0) fail();
  else if (kv.set("last", hits.toString(), 3600) != 0) fail();
  else text(hits.toString() + "\n");
} else if (path.startsWith("/get/")) {
  const value = kv.getBytes(path.substring(5));
  if (value == null) fail();
  else {
    process.stdout.write("Content-Type: application/octet-stream\n\n");
    process.stdout.write(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  }
} else if (path.startsWith("/set/")) {
  const ttl = req.param("ttl");
  if (kv.set(path.substring(5), req.body, ttl == null ? 0 : U32.parseInt(ttl)) != 0) fail();
  else text("ok\n");
} else if (path.startsWith("/del/")) {
  if (kv.remove(path.substring(5)) != 0) fail();
  else text("deleted\n");
} else if (path.startsWith("/list/")) {
  const keys = kv.list(path.substring(6));
  let body = "";
  for (let i = 0; i < keys.length; i++) body += keys[i] + "\n";
  if (kv.lastError != 0) body += "error " + kv.lastError.toString() + "\n";
  text(body);
} else if (path.startsWith("/incr/")) {
  const value = kv.incr(path.substring(6), 1);
  if (kv.lastError != 0) fail();
  else text(value.toString() + "\n");
} else if (path.startsWith("/cas/")) {
  if (!kv.cas(path.substring(5), req.param("expected"), req.body)) fail();
  else text("written\n");
} else {
  new Response(404, "no such route\n").send();
}
