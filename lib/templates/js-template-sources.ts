// The JavaScript templates (templates.ts joins them to the catalog): a Workers-style script run
// by the QuickJS engine module (docs/javascript.md), published as the file _worker.js beside the
// engine (app.wasm). compile-js.test.ts checks that the hello-ts worker is the CLI's and the
// IDE's bundle of its source; js-templates.test.ts runs both. Isomorphic: the browser bundle loads it.

export const HELLO_TS_SOURCE = "// Hello world in TypeScript: a Workers-style fetch handler, run by the QuickJS engine\n// (docs/javascript.md). `wasmcompute publish` bundles it into _worker.js (the IDE does\n// as you type).\ninterface Env {\n  GREETING?: string;\n}\n\nexport default {\n  async fetch(request: Request, env: Env): Promise<Response> {\n    const url = new URL(request.url);\n    const name = url.searchParams.get(\"name\") ?? \"world\";\n    console.log(`greeting ${name}`);\n    return new Response(`${env.GREETING ?? \"Hello\"}, ${name}!\\n`, {\n      headers: { \"content-type\": \"text/plain; charset=utf-8\" },\n    });\n  },\n};\n";

/** The CLI's and the IDE's bundle of HELLO_TS_SOURCE (lib/editor/compile-js.test.ts checks all three agree). */
export const HELLO_TS_WORKER = "// src/index.ts\nvar index_default = {\n  async fetch(request, env) {\n    const url = new URL(request.url);\n    const name = url.searchParams.get(\"name\") ?? \"world\";\n    console.log(`greeting ${name}`);\n    return new Response(`${env.GREETING ?? \"Hello\"}, ${name}!\n`, {\n      headers: { \"content-type\": \"text/plain; charset=utf-8\" }\n    });\n  }\n};\nexport {\n  index_default as default\n};\n";

export const JSON_API_JS = "// A JSON API in JavaScript: routes on the URL path, reads a JSON body, keeps items in the app's\n// key-value store (env.KV) and answers JSON errors. Run by the QuickJS engine (docs/javascript.md):\n// this file is published as it is (module: the engine, files: _worker.js).\nconst json = (data, status = 200) => Response.json(data, { status });\n\nexport default {\n  async fetch(request, env) {\n    const { pathname } = new URL(request.url);\n    if (pathname === \"/\" || pathname === \"/health\") return json({ ok: true });\n\n    if (pathname === \"/items\" && request.method === \"GET\") {\n      const { keys } = await env.KV.list({ prefix: \"item:\" });\n      const items = await Promise.all(keys.map((k) => env.KV.get(k.name, \"json\")));\n      return json(items);\n    }\n    if (pathname === \"/items\" && request.method === \"POST\") {\n      let body;\n      try {\n        body = await request.json();\n      } catch {\n        return json({ error: \"send a JSON object such as {\\\"name\\\": \\\"tea\\\"}\" }, 400);\n      }\n      if (typeof body?.name !== \"string\" || !body.name) return json({ error: \"name: a non-empty string is required\" }, 422);\n      const id = await env.KV.increment(\"next-id\");\n      const item = { id, name: body.name, created: new Date().toISOString() };\n      await env.KV.put(`item:${String(id).padStart(8, \"0\")}`, JSON.stringify(item));\n      console.log(\"created item\", id);\n      return json(item, 201);\n    }\n    const match = pathname.match(/^\\/items\\/(\\d+)$/);\n    if (match && request.method === \"GET\") {\n      const item = await env.KV.get(`item:${match[1].padStart(8, \"0\")}`, \"json\");\n      return item ? json(item) : json({ error: `no item ${match[1]}` }, 404);\n    }\n    return json({ error: `no route for ${request.method} ${pathname}` }, 404);\n  },\n};\n";

export const JS_MANIFEST = "# wasmcompute.yaml: see docs/manifest.md and docs/javascript.md\nmodule: app.wasm            # the JavaScript engine (QuickJS as WebAssembly)\nfiles:                      # mounted at /app: the engine runs /app/_worker.js\n  - _worker.js\nroutes:\n  - path: /...\n    entrypoint: _start\n";

export const JS_API_MANIFEST = "# wasmcompute.yaml: see docs/manifest.md and docs/javascript.md\nmodule: app.wasm            # the JavaScript engine (QuickJS as WebAssembly)\nfiles:                      # mounted at /app: the engine runs /app/_worker.js\n  - _worker.js\nroutes:\n  - path: /...\n    entrypoint: _start\nlimits:\n  memoryMb: 64\n  timeoutMs: 2000\n";

/** The README `wasmcompute new` writes for a JavaScript template (`source`: what to edit). */
export const jsReadme = (source: string) =>
  [
    "# A JavaScript app",
    "",
    `\`${source}\` is a Workers-style \`fetch\` handler. \`app.wasm\` is the JavaScript engine (QuickJS as`,
    "WebAssembly); it runs `_worker.js` on every request. See docs/javascript.md for the API it offers.",
    "",
    "```sh",
    "wasmcompute publish 0.0.1   # bundles src/index.ts into _worker.js first, when there is one",
    "wasmcompute deploy 0.0.1",
    "```",
    "",
  ].join("\n");
