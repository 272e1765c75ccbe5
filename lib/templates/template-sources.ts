// The source trees the IDE opens (templates.ts joins them to the catalog): each a complete app
// (manifest + code) that compiles cleanly in the browser; templates.test.ts compiles and runs every
// one of them. Isomorphic: the browser bundle loads it.
import { watStrings } from "./wat-strings";

export const manifestText = (appName: string | null, module = "main.wasm", extra = "") =>
  [
    "# wasmcompute.yaml: see docs/manifest.md",
    ...(appName ? [`name: ${appName}`] : []),
    `module: ${module}            # built in the browser by the editor`,
    "routes:",
    "  - path: /...",
    "    entrypoint: _start",
    "limits:",
    "  memoryMb: 64",
    "  timeoutMs: 2000",
    extra,
  ]
    .filter((l) => l !== "")
    .join("\n") + "\n";

// ---------------------------------------------------------------- static site + API (both languages)

// The manifest keys of docs/manifest.md: static/ is published with the version and mounted read-only
// at /app (`files:`), and the gateway answers /assets/… from it without running wasm (`static:`).
const STATIC_MANIFEST = [
  "files:                      # mounted read-only at /app in the guest",
  "  - static",
  "static:                     # served by the gateway straight from the files, no wasm run",
  "  - path: /assets",
  "    dir: static",
].join("\n");

const siteFiles = (language: string): Record<string, string> => ({
  "static/index.html": `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Static site + API</title>
  <link rel="stylesheet" href="style.css">
</head>
<body>
  <main>
    <h1>Static site + API</h1>
    <p>This page, <code>style.css</code> and <code>app.js</code> come from <code>static/</code>: the gateway serves
      <code>/assets/…</code> without running wasm. The button calls <code>/api/hello</code>, answered by the ${language} module.</p>
    <button id="call" type="button">Call the API</button>
    <pre id="result">Not called yet.</pre>
  </main>
  <script src="app.js"></script>
</body>
</html>
`,
  "static/style.css": `body {
  margin: 0;
  font: 16px/1.5 system-ui, sans-serif;
  background: #f8fafc;
  color: #0f172a;
}
main {
  max-width: 40rem;
  margin: 3rem auto;
  padding: 0 1rem;
}
h1 {
  color: #4338ca;
}
button {
  padding: 0.5rem 1rem;
  border: 0;
  border-radius: 0.375rem;
  background: #4f46e5;
  color: white;
  font: inherit;
  cursor: pointer;
}
pre {
  padding: 1rem;
  border-radius: 0.375rem;
  background: #e2e8f0;
}
`,
  "static/app.js": `// Calls the app's API. "../api/hello" is relative to this page (…/assets/index.html), so the
// site works wherever the app is mounted.
const result = document.getElementById("result");
document.getElementById("call").addEventListener("click", async () => {
  result.textContent = "Calling…";
  try {
    const res = await fetch("../api/hello?name=" + encodeURIComponent("static site"));
    result.textContent = res.status + " " + JSON.stringify(await res.json(), null, 2);
  } catch (e) {
    result.textContent = "The API call failed: " + e;
  }
});
`,
});

// ---------------------------------------------------------------- AssemblyScript

const AS_HELLO = `// Hello world: every request runs main.ts from the top on a fresh instance.
import { request, text, log } from "wasmcompute";

const req = request();
log("hello: " + req.method + " " + req.path);
text("Hello from AssemblyScript!\\n");
`;

const AS_JSON_API = `// A JSON API with routing on the request path (PATH_INFO).
import { request, json, jsonString, Request } from "wasmcompute";

const ITEMS = ["apple", "banana", "cherry"];

function listItems(): string {
  const parts = new Array<string>();
  for (let i = 0; i < ITEMS.length; i++) parts.push(jsonString(ITEMS[i]));
  return "[" + parts.join(",") + "]";
}

function route(req: Request): void {
  if (req.path == "/") {
    json('{"name":"items-api","routes":["/items","/items/{index}","/echo"]}');
  } else if (req.path == "/items" && req.method == "GET") {
    json('{"items":' + listItems() + "}");
  } else if (req.path.startsWith("/items/")) {
    const index = I32.parseInt(req.path.substring(7));
    if (index >= 0 && index < ITEMS.length) json('{"index":' + index.toString() + ',"item":' + jsonString(ITEMS[index]) + "}");
    else json('{"error":"no such item"}', 404);
  } else if (req.path == "/echo" && req.method == "POST") {
    json('{"received":' + jsonString(req.body) + "}");
  } else {
    json('{"error":"not found","path":' + jsonString(req.path) + "}", 404);
  }
}

route(request());
`;

const AS_KV_COUNTER = `// A counter in the app's key-value store (docs/abi.md). Without a store attached to the run,
// kv calls answer KV_UNAVAILABLE and this app says so.
import { request, json, kv, KV_UNAVAILABLE } from "wasmcompute";

request();
const current = kv.get("count");
if (current == null && kv.lastError == KV_UNAVAILABLE) {
  json('{"error":"no store: this run has no key-value store attached"}', 503);
} else {
  let next = 1;
  if (current != null) next = I32.parseInt(current!) + 1;
  kv.set("count", next.toString());
  json('{"count":' + next.toString() + "}");
}
`;

const AS_FORM = `// A form handler: GET shows the form, POST reads the url-encoded fields.
import { request, html } from "wasmcompute";

function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

const req = request();
if (req.method == "POST") {
  const name = req.formField("name");
  html("<h1>Thanks, " + escapeHtml(name == null ? "stranger" : name) + "!</h1>");
} else {
  html('<form method="post"><label>Name <input name="name"></label> <button>Send</button></form>');
}
`;

const AS_STATIC_SITE = `// Static site + API. The gateway answers /assets/… straight from static/ (see \`static:\` in
// wasmcompute.yaml) without running this module; every other path comes here: the JSON API under
// /api/, and the app's root, which redirects to the site.
import { request, json, jsonString, mountPath, Response } from "wasmcompute";

const req = request();
if (req.path == "/") {
  new Response(302, "See assets/index.html\\n").header("Location", mountPath() + "/assets/index.html").send();
} else if (req.path == "/api/hello" && req.method == "GET") {
  const name = req.param("name");
  const who = name == null || name == "" ? "world" : name;
  json('{"message":' + jsonString("Hello, " + who + "!") + ',"from":"AssemblyScript"}');
} else if (req.path.startsWith("/api/")) {
  json('{"error":"no such API call","path":' + jsonString(req.path) + "}", 404);
} else {
  json('{"error":"not found: the site is under /assets/","path":' + jsonString(req.path) + "}", 404);
}
`;

const AS_FETCH_JSON = `// Fetch JSON from an API: GETs the URL in API_URL (\`env:\` in wasmcompute.yaml) and answers with
// what the API said. Outbound calls go only to the origins listed in \`allowed_hosts\`; change both
// together to call another API. In the IDE preview the call goes through the console, under the
// same rules as on the gateway (docs/abi.md, "Outbound HTTP").
import { request, json, jsonString, httpGet, envVar, log, LOG_WARN } from "wasmcompute";

request();
const apiUrl = envVar("API_URL");
let url = "";
if (apiUrl != null) url = apiUrl!;
if (url == "") {
  json('{"error":"set API_URL under env: in wasmcompute.yaml, and list its origin in allowed_hosts"}', 500);
} else {
  const res = httpGet(url, "accept: application/json\\n");
  if (!res.ok) {
    // res.error is the negative code (HTTP_NOT_ALLOWED, HTTP_REFUSED_ADDRESS, …), res.message says why.
    log("the API call failed: " + res.message, LOG_WARN);
    json('{"error":' + jsonString(res.message) + ',"code":' + res.error.toString() + "}", 502);
  } else {
    const type = res.header("content-type");
    // A JSON answer is passed on as it came; anything else as a string.
    const body = type != null && type.includes("json") ? res.body : jsonString(res.body);
    json('{"url":' + jsonString(url) + ',"status":' + res.status.toString() + ',"body":' + body + "}");
  }
}
`;

/** The fetch-json template's manifest: the API's URL, and its origin allowed. */
const FETCH_JSON_MANIFEST = [
  "allowed_hosts:              # the only origins outbound calls may reach",
  "  - https://jsonplaceholder.typicode.com",
  "env:",
  "  API_URL: https://jsonplaceholder.typicode.com/todos/1",
].join("\n");

const AS_LOOP = `// Runs forever: the preview (and the gateway) stop it at the manifest's timeoutMs.
import { request, text } from "wasmcompute";

request();
let n: i64 = 0;
while (n >= 0) {
  n = (n + 1) & 0x7fffffff;
}
text("unreachable\\n");
`;

// ---------------------------------------------------------------- WebAssembly text

const WAT_IMPORTS = `  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))`;

const WAT_WRITE = `  ;; Writes memory[ptr, ptr+len) to stdout (fd 1) through an iovec at offset 0.
  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))`;

const WAT_ENV_IMPORTS = `  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))`;

// Reading WAGI variables: needs WAT_ENV_IMPORTS, and uses memory 8..16, 4096.. (pointers) and
// 16384.. (strings) as scratch.
const WAT_ENV = `  (global $value_len (mut i32) (i32.const 0))

  ;; 1 when memory[a, a+len) equals memory[b, b+len).
  (func $equal (param $a i32) (param $b i32) (param $len i32) (result i32)
    (local $i i32)
    (loop $next
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
      (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                  (i32.load8_u (i32.add (local.get $b) (local.get $i))))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))
    (i32.const 0))

  ;; The value of the environment variable whose "NAME=" prefix is given (0 if absent);
  ;; its length is left in $value_len.
  (func $env (param $prefix i32) (param $prefix_len i32) (result i32)
    (local $count i32) (local $i i32) (local $entry i32) (local $end i32)
    (drop (call $environ_sizes_get (i32.const 8) (i32.const 12)))
    (drop (call $environ_get (i32.const 4096) (i32.const 16384)))
    (local.set $count (i32.load (i32.const 8)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $entry (i32.load (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 2)))))
        (if (call $equal (local.get $entry) (local.get $prefix) (local.get $prefix_len))
          (then
            ;; Values are NUL-terminated.
            (local.set $end (i32.add (local.get $entry) (local.get $prefix_len)))
            (block $found
              (loop $scan
                (br_if $found (i32.eqz (i32.load8_u (local.get $end))))
                (local.set $end (i32.add (local.get $end) (i32.const 1)))
                (br $scan)))
            (global.set $value_len (i32.sub (local.get $end) (i32.add (local.get $entry) (local.get $prefix_len))))
            (return (i32.add (local.get $entry) (local.get $prefix_len)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $value_len (i32.const 0))
    (i32.const 0))

  ;; 1 when the request path equals the string at (ptr, len).
  (func $path_is (param $path i32) (param $path_len i32) (param $ptr i32) (param $len i32) (result i32)
    (if (result i32) (i32.ne (local.get $path_len) (local.get $len))
      (then (i32.const 0))
      (else (call $equal (local.get $path) (local.get $ptr) (local.get $len)))))`;

function watHello(): string {
  const s = watStrings(64, {
    headers: "Content-Type: text/plain; charset=utf-8\n\n",
    body: "Hello from WAT!\n",
  });
  return `;; Hello world in WebAssembly text: a CGI response written to stdout.
;; Each string's length is written beside it: keep them in step when you edit a string.
(module
${WAT_IMPORTS}
  (memory (export "memory") 1)
${s.data}
${WAT_WRITE}
  (func (export "_start")
    (call $write ${s.ref("headers")})
    (call $write ${s.ref("body")}))
)
`;
}

function watJsonApi(): string {
  const s = watStrings(64, {
    pathInfo: "PATH_INFO=",
    methodVar: "REQUEST_METHOD=",
    rootSlash: "/",
    health: "/health",
    method: "/method",
    jsonHeader: "Content-Type: application/json\n",
    notFoundStatus: "Status: 404 Not Found\n",
    blank: "\n",
    index: '{"name":"wat-api","routes":["/","/health","/method"]}\n',
    ok: '{"ok":true}\n',
    methodOpen: '{"method":"',
    methodClose: '"}\n',
    notFound: '{"error":"not found"}\n',
  });
  return `;; A JSON API in WebAssembly text, routing on PATH_INFO (docs/abi.md).
(module
${WAT_IMPORTS}
${WAT_ENV_IMPORTS}
  (memory (export "memory") 4)
  ;; 0..16: iovec and scratch; 16..: strings; 4096: environ pointers; 16384: environ strings.
${s.data}

${WAT_WRITE}

${WAT_ENV}

  (func (export "_start")
    (local $path i32) (local $path_len i32) (local $method i32) (local $method_len i32)
    (local.set $path (call $env ${s.ref("pathInfo")}))
    (local.set $path_len (global.get $value_len))
    (local.set $method (call $env ${s.ref("methodVar")}))
    (local.set $method_len (global.get $value_len))

    (if (i32.or (i32.eqz (local.get $path_len)) (call $path_is (local.get $path) (local.get $path_len) ${s.ref("rootSlash")}))
      (then
        (call $write ${s.ref("jsonHeader")})
        (call $write ${s.ref("blank")})
        (call $write ${s.ref("index")})
        (return)))
    (if (call $path_is (local.get $path) (local.get $path_len) ${s.ref("health")})
      (then
        (call $write ${s.ref("jsonHeader")})
        (call $write ${s.ref("blank")})
        (call $write ${s.ref("ok")})
        (return)))
    (if (call $path_is (local.get $path) (local.get $path_len) ${s.ref("method")})
      (then
        (call $write ${s.ref("jsonHeader")})
        (call $write ${s.ref("blank")})
        (call $write ${s.ref("methodOpen")})
        (call $write (local.get $method) (local.get $method_len))
        (call $write ${s.ref("methodClose")})
        (return)))
    (call $write ${s.ref("jsonHeader")})
    (call $write ${s.ref("notFoundStatus")})
    (call $write ${s.ref("blank")})
    (call $write ${s.ref("notFound")}))
)
`;
}

function watKvCounter(): string {
  const s = watStrings(64, {
    key: "count",
    header: "Content-Type: application/json\n\n",
    unavailable: "Content-Type: application/json\nStatus: 503 Service Unavailable\n\n{\"error\":\"no store: this run has no key-value store attached\"}\n",
    open: '{"count":',
    close: "}\n",
  });
  return `;; A counter in the app's key-value store (docs/abi.md "wasmcompute" imports).
(module
${WAT_IMPORTS}
  (import "wasmcompute" "kv_get" (func $kv_get (param i32 i32 i32 i32) (result i32)))
  (import "wasmcompute" "kv_set" (func $kv_set (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 1024..1056: the stored value (decimal text); 2048..2064: the new value's digits.
${s.data}

${WAT_WRITE}

  ;; Parses decimal digits at (ptr, len).
  (func $parse (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
                               (i32.sub (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 48))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Writes n in decimal so that it ends at 2064; returns the start.
  (func $format (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (i32.const 2064))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (i32.ne (local.get $n) (i32.const 0))))
    (local.get $p))

  (func (export "_start")
    (local $len i32) (local $count i32) (local $digits i32)
    (local.set $len (call $kv_get ${s.ref("key")} (i32.const 1024) (i32.const 32)))
    (if (i32.eq (local.get $len) (i32.const -2))
      (then (call $write ${s.ref("unavailable")}) (return)))
    (if (i32.ge_s (local.get $len) (i32.const 0))
      (then (local.set $count (call $parse (i32.const 1024) (local.get $len)))))
    (local.set $count (i32.add (local.get $count) (i32.const 1)))
    (local.set $digits (call $format (local.get $count)))
    (drop (call $kv_set ${s.ref("key")} (local.get $digits) (i32.sub (i32.const 2064) (local.get $digits))))
    (call $write ${s.ref("header")})
    (call $write ${s.ref("open")})
    (call $write (local.get $digits) (i32.sub (i32.const 2064) (local.get $digits)))
    (call $write ${s.ref("close")}))
)
`;
}

function watStaticSite(): string {
  const s = watStrings(64, {
    pathInfo: "PATH_INFO=",
    methodVar: "REQUEST_METHOD=",
    scriptName: "SCRIPT_NAME=",
    rootSlash: "/",
    hello: "/api/hello",
    redirectHead: "Status: 302 Found\nContent-Type: text/plain; charset=utf-8\nLocation: ",
    redirectTail: "/assets/index.html\n\nSee assets/index.html\n",
    jsonHeader: "Content-Type: application/json\n\n",
    helloOpen: '{"message":"Hello from the WAT API!","method":"',
    helloClose: '"}\n',
    notFound: "Content-Type: application/json\nStatus: 404 Not Found\n\n{\"error\":\"not found: the site is under /assets/, the API under /api/\"}\n",
  });
  return `;; Static site + API in WebAssembly text. The gateway answers /assets/… straight from static/
;; (see \`static:\` in wasmcompute.yaml) without running this module; every other path comes here:
;; GET /api/hello (JSON), and the app's root, which redirects to the site.
(module
${WAT_IMPORTS}
${WAT_ENV_IMPORTS}
  (memory (export "memory") 4)
  ;; 0..16: iovec and scratch; 64..: strings; 4096: environ pointers; 16384: environ strings.
${s.data}

${WAT_WRITE}

${WAT_ENV}

  (func (export "_start")
    (local $path i32) (local $path_len i32) (local $method i32) (local $method_len i32) (local $base i32) (local $base_len i32)
    (local.set $path (call $env ${s.ref("pathInfo")}))
    (local.set $path_len (global.get $value_len))
    (local.set $method (call $env ${s.ref("methodVar")}))
    (local.set $method_len (global.get $value_len))
    ;; SCRIPT_NAME is where the app is mounted (e.g. /acme/site): the redirect goes below it.
    (local.set $base (call $env ${s.ref("scriptName")}))
    (local.set $base_len (global.get $value_len))
    ;; At the root SCRIPT_NAME is "/": drop a trailing "/" so the Location never starts with "//".
    (if (i32.and (i32.gt_u (local.get $base_len) (i32.const 0))
                 (i32.eq (i32.load8_u (i32.add (local.get $base) (i32.sub (local.get $base_len) (i32.const 1)))) (i32.const 47)))
      (then (local.set $base_len (i32.sub (local.get $base_len) (i32.const 1)))))

    (if (i32.or (i32.eqz (local.get $path_len)) (call $path_is (local.get $path) (local.get $path_len) ${s.ref("rootSlash")}))
      (then
        (call $write ${s.ref("redirectHead")})
        (call $write (local.get $base) (local.get $base_len))
        (call $write ${s.ref("redirectTail")})
        (return)))
    (if (call $path_is (local.get $path) (local.get $path_len) ${s.ref("hello")})
      (then
        (call $write ${s.ref("jsonHeader")})
        (call $write ${s.ref("helloOpen")})
        (call $write (local.get $method) (local.get $method_len))
        (call $write ${s.ref("helloClose")})
        (return)))
    (call $write ${s.ref("notFound")}))
)
`;
}

function watForm(): string {
  const s = watStrings(64, {
    methodVar: "REQUEST_METHOD=",
    post: "POST",
    htmlHeader: "Content-Type: text/html; charset=utf-8\n\n",
    form: '<!doctype html>\n<title>Form</title>\n<form method="post">\n  <label>Name <input name="name"></label>\n  <label>Message <input name="message"></label>\n  <button>Send</button>\n</form>\n',
    pageOpen: "<!doctype html>\n<title>Thanks</title>\n<h1>Thanks! You sent:</h1>\n<dl>\n",
    pageClose: "</dl>\n",
    dtOpen: "<dt>",
    dtClose: "</dt><dd>",
    ddClose: "</dd>\n",
    amp: "&amp;",
    lt: "&lt;",
    gt: "&gt;",
    quot: "&quot;",
    apos: "&#39;",
  });
  return `;; A form handler in WebAssembly text: GET shows the form; POST reads the
;; application/x-www-form-urlencoded body from stdin and answers a page listing every field,
;; percent-decoded and HTML-escaped.
(module
${WAT_IMPORTS}
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
${WAT_ENV_IMPORTS}
  (memory (export "memory") 4)
  ;; 0..16: iovec and scratch; 64..: strings; 4096: environ pointers; 16384: environ strings;
  ;; 65536..81920: the request body; 131072..: the page being written.
${s.data}
  (global $out (mut i32) (i32.const 131072))

${WAT_WRITE}

${WAT_ENV}

  ;; Reads stdin into 65536.. (at most 16 KiB); returns the length.
  (func $read_body (result i32)
    (local $total i32)
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $total) (i32.const 16384)))
        (i32.store (i32.const 0) (i32.add (i32.const 65536) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 16384) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $done (i32.eqz (i32.load (i32.const 8))))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.const 8))))
        (br $more)))
    (local.get $total))

  ;; Appends memory[ptr, ptr+len) to the page.
  (func $emit (param $ptr i32) (param $len i32)
    (memory.copy (global.get $out) (local.get $ptr) (local.get $len))
    (global.set $out (i32.add (global.get $out) (local.get $len))))

  ;; Appends one byte to the page, HTML-escaped.
  (func $emit_escaped (param $c i32)
    (if (i32.eq (local.get $c) (i32.const 38)) (then (call $emit ${s.ref("amp")}) (return)))
    (if (i32.eq (local.get $c) (i32.const 60)) (then (call $emit ${s.ref("lt")}) (return)))
    (if (i32.eq (local.get $c) (i32.const 62)) (then (call $emit ${s.ref("gt")}) (return)))
    (if (i32.eq (local.get $c) (i32.const 34)) (then (call $emit ${s.ref("quot")}) (return)))
    (if (i32.eq (local.get $c) (i32.const 39)) (then (call $emit ${s.ref("apos")}) (return)))
    (i32.store8 (global.get $out) (local.get $c))
    (global.set $out (i32.add (global.get $out) (i32.const 1))))

  ;; The value of one hex digit, or -1.
  (func $hex (param $c i32) (result i32)
    (if (i32.and (i32.ge_u (local.get $c) (i32.const 48)) (i32.le_u (local.get $c) (i32.const 57)))
      (then (return (i32.sub (local.get $c) (i32.const 48)))))
    (local.set $c (i32.or (local.get $c) (i32.const 32)))
    (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 102)))
      (then (return (i32.sub (local.get $c) (i32.const 87)))))
    (i32.const -1))

  ;; Appends memory[start, end) percent-decoded ("+" is a space) and HTML-escaped.
  (func $emit_decoded (param $i i32) (param $end i32)
    (local $c i32) (local $hi i32) (local $lo i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $c (i32.const 32))))
        (if (i32.and (i32.eq (local.get $c) (i32.const 37)) (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $end)))
          (then
            (local.set $hi (call $hex (i32.load8_u (local.get $i))))
            (local.set $lo (call $hex (i32.load8_u (i32.add (local.get $i) (i32.const 1)))))
            (if (i32.and (i32.ge_s (local.get $hi) (i32.const 0)) (i32.ge_s (local.get $lo) (i32.const 0)))
              (then
                (local.set $c (i32.or (i32.shl (local.get $hi) (i32.const 4)) (local.get $lo)))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))))))
        (call $emit_escaped (local.get $c))
        (br $next))))

  ;; Appends a <dt>name</dt><dd>value</dd> pair for every non-empty "name=value" field.
  (func $emit_fields (param $body i32) (param $len i32)
    (local $end i32) (local $start i32) (local $amp i32) (local $eq i32)
    (local.set $end (i32.add (local.get $body) (local.get $len)))
    (local.set $start (local.get $body))
    (block $done
      (loop $field
        (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
        ;; The field runs to the next "&" (or the end); its name to the first "=".
        (local.set $amp (local.get $start))
        (block $found
          (loop $scan
            (br_if $found (i32.ge_u (local.get $amp) (local.get $end)))
            (br_if $found (i32.eq (i32.load8_u (local.get $amp)) (i32.const 38)))
            (local.set $amp (i32.add (local.get $amp) (i32.const 1)))
            (br $scan)))
        (local.set $eq (local.get $start))
        (block $found
          (loop $scan
            (br_if $found (i32.ge_u (local.get $eq) (local.get $amp)))
            (br_if $found (i32.eq (i32.load8_u (local.get $eq)) (i32.const 61)))
            (local.set $eq (i32.add (local.get $eq) (i32.const 1)))
            (br $scan)))
        (if (i32.gt_u (local.get $amp) (local.get $start))
          (then
            (call $emit ${s.ref("dtOpen")})
            (call $emit_decoded (local.get $start) (local.get $eq))
            (call $emit ${s.ref("dtClose")})
            (if (i32.lt_u (local.get $eq) (local.get $amp))
              (then (call $emit_decoded (i32.add (local.get $eq) (i32.const 1)) (local.get $amp))))
            (call $emit ${s.ref("ddClose")})))
        (local.set $start (i32.add (local.get $amp) (i32.const 1)))
        (br $field))))

  (func (export "_start")
    (local $method i32)
    (local.set $method (call $env ${s.ref("methodVar")}))
    (call $write ${s.ref("htmlHeader")})
    (if (i32.eqz (call $path_is (local.get $method) (global.get $value_len) ${s.ref("post")}))
      (then (call $write ${s.ref("form")}) (return)))
    (call $emit ${s.ref("pageOpen")})
    (call $emit_fields (i32.const 65536) (call $read_body))
    (call $emit ${s.ref("pageClose")})
    (call $write (i32.const 131072) (i32.sub (global.get $out) (i32.const 131072))))
)
`;
}

function watLoop(): string {
  return `;; Runs forever: the preview (and the gateway) stop it at the manifest's timeoutMs.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever
      (br $forever)))
)
`;
}

// ---------------------------------------------------------------- source trees

interface Extras {
  /** Manifest lines after the defaults. */
  manifest?: string;
  files?: Record<string, string>;
}
const asTree = (source: string, extras: Extras = {}): Record<string, string> => ({
  "wasmcompute.yaml": manifestText(null, "main.wasm", extras.manifest),
  "main.ts": source,
  ...extras.files,
});
const watTree = (source: string, extras: Extras = {}): Record<string, string> => ({
  "wasmcompute.yaml": manifestText(null, "main.wasm", extras.manifest),
  "main.wat": source,
  ...extras.files,
});

/** Each editor source tree (manifest + code), by the catalog id it belongs to (templates.ts). */
export const EDITOR_SOURCES = {
  "hello-as": asTree(AS_HELLO),
  "json-api-as": asTree(AS_JSON_API),
  "kv-counter-as": asTree(AS_KV_COUNTER),
  "static-site-as": asTree(AS_STATIC_SITE, { manifest: STATIC_MANIFEST, files: siteFiles("AssemblyScript") }),
  "form-as": asTree(AS_FORM),
  "loop-as": asTree(AS_LOOP),
  "fetch-json-as": asTree(AS_FETCH_JSON, { manifest: FETCH_JSON_MANIFEST }),
  "hello-wat": watTree(watHello()),
  "json-api-wat": watTree(watJsonApi()),
  "kv-counter-wat": watTree(watKvCounter()),
  "static-site-wat": watTree(watStaticSite(), { manifest: STATIC_MANIFEST, files: siteFiles("WebAssembly text") }),
  "form-wat": watTree(watForm()),
  "loop-wat": watTree(watLoop()),
} satisfies Record<string, Record<string, string>>;
