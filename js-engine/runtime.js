// The web API layer of the WasmCompute JavaScript engine, evaluated before the app's script, on
// every request or once for a snapshot (engine.c). It builds a Request from the WAGI environment and stdin, calls the
// script's `export default { fetch(request, env, ctx) }` and writes the Response as CGI.
// Host functions come from the engine as `__wc` (write, log, random, encode, decode, sleep, kv*).
// What of the Workers API is here and what is not: docs/javascript.md.
(function (wc) {
  "use strict";
  const g = globalThis;
  const define = (name, value) => Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });

  // ---- text ----
  function toBytes(data) {
    if (data instanceof Uint8Array) return data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    throw new TypeError("expected an ArrayBuffer or a typed array");
  }
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(text = "") { return new Uint8Array(wc.encode(String(text))); }
    encodeInto(text, dest) {
      const bytes = this.encode(text);
      const n = Math.min(bytes.length, dest.length);
      dest.set(bytes.subarray(0, n));
      return { read: n === bytes.length ? String(text).length : undefined, written: n };
    }
  }
  class TextDecoder {
    constructor(label = "utf-8") {
      if (!/^(utf-?8|unicode-1-1-utf-8)$/i.test(String(label).trim())) throw new RangeError(`TextDecoder: only utf-8 is supported, not "${label}"`);
    }
    get encoding() { return "utf-8"; }
    decode(data) {
      if (data === undefined) return "";
      const text = wc.decode(toBytes(data));
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  }
  define("TextEncoder", TextEncoder);
  define("TextDecoder", TextDecoder);

  // ---- base64 ----
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  define("btoa", (s) => {
    s = String(s);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new DOMException("btoa: characters outside Latin-1", "InvalidCharacterError");
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : "=") + (i + 2 < s.length ? B64[n & 63] : "=");
    }
    return out;
  });
  define("atob", (s) => {
    s = String(s).replace(/[\t\n\f\r ]/g, "");
    if (s.length % 4 === 0) s = s.replace(/==?$/, "");
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new DOMException("atob: not valid base64", "InvalidCharacterError");
    let out = "", bits = 0, n = 0;
    for (const ch of s) {
      n = (n << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((n >> bits) & 255); }
    }
    return out;
  });

  class DOMException extends Error {
    constructor(message = "", name = "Error") { super(message); this.name = name; }
  }
  define("DOMException", DOMException);

  // ---- console → the app's logs ----
  function show(v, depth = 0) {
    if (typeof v === "string") return depth ? JSON.stringify(v) : v;
    if (v instanceof Error) return v.stack ? `${v.name}: ${v.message}\n${v.stack}`.trimEnd() : `${v.name}: ${v.message}`;
    if (typeof v === "function") return `[Function ${v.name || "anonymous"}]`;
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v !== "object" || v === null) return String(v);
    if (depth > 2) return Array.isArray(v) ? "[Array]" : "[Object]";
    if (Array.isArray(v)) return `[ ${v.map((x) => show(x, depth + 1)).join(", ")} ]`;
    if (v instanceof Map) return `Map(${v.size}) { ${[...v].map(([k, x]) => `${show(k, depth + 1)} => ${show(x, depth + 1)}`).join(", ")} }`;
    if (v instanceof Set) return `Set(${v.size}) { ${[...v].map((x) => show(x, depth + 1)).join(", ")} }`;
    const entries = Object.keys(v).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${show(v[k], depth + 1)}`);
    const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : "";
    return entries.length ? `${name}{ ${entries.join(", ")} }` : `${name}{}`;
  }
  const logAt = (level) => (...args) => wc.log(level, args.map((a) => show(a)).join(" "));
  const counts = new Map(), timers = new Map();
  define("console", {
    debug: logAt(0), log: logAt(1), info: logAt(1), warn: logAt(2), error: logAt(3), trace: logAt(0),
    assert: (ok, ...args) => { if (!ok) logAt(3)("Assertion failed", ...args); },
    count: (label = "default") => { counts.set(label, (counts.get(label) || 0) + 1); logAt(1)(`${label}: ${counts.get(label)}`); },
    time: (label = "default") => timers.set(label, Date.now()),
    timeEnd: (label = "default") => { logAt(1)(`${label}: ${Date.now() - (timers.get(label) ?? Date.now())}ms`); timers.delete(label); },
  });

  // ---- crypto ----
  define("crypto", {
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
        throw new TypeError("crypto.getRandomValues: expected an integer typed array");
      }
      if (array.byteLength > 65536) throw new DOMException("crypto.getRandomValues: at most 65536 bytes", "QuotaExceededError");
      toBytes(array).set(new Uint8Array(wc.random(array.byteLength)));
      return array;
    },
    randomUUID() {
      const b = new Uint8Array(wc.random(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  });

  // ---- timers (run after the microtasks; the engine sleeps until the next one is due) ----
  let nextTimerId = 1;
  const pending = new Map();
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("a timer needs a function");
    wc.effect(); // a timer set while a snapshot loads the script belongs to a request: no snapshot
    const id = nextTimerId++;
    const delay = Math.max(0, Number(ms) || 0);
    pending.set(id, { fn, args, at: Date.now() + delay, delay, repeat, seq: id });
    return id;
  }
  define("setTimeout", (fn, ms, ...args) => addTimer(fn, ms, args, false));
  define("setInterval", (fn, ms, ...args) => addTimer(fn, ms, args, true));
  define("clearTimeout", (id) => pending.delete(id));
  define("clearInterval", (id) => pending.delete(id));
  define("queueMicrotask", (fn) => Promise.resolve().then(fn));
  wc.runTimer = () => {
    let first = null, firstId = 0;
    for (const [id, t] of pending) if (!first || t.at < first.at) { first = t; firstId = id; }
    if (!first) return false;
    wc.sleep(first.at - Date.now());
    if (first.repeat) first.at = Date.now() + first.delay;
    else pending.delete(firstId);
    first.fn(...first.args);
    return true;
  };

  // ---- URLSearchParams ----
  const decodeForm = (s) => { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch { return s.replace(/\+/g, " "); } };
  const encodeForm = (s) => encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  class URLSearchParams {
    #list = [];
    #onChange = null;
    constructor(init = "") {
      if (typeof init === "string") this.#parse(init);
      else if (init instanceof URLSearchParams) this.#list = init.#list.map(([k, v]) => [k, v]);
      else if (init && typeof init[Symbol.iterator] === "function") for (const [k, v] of init) this.#list.push([String(k), String(v)]);
      else if (init && typeof init === "object") for (const k of Object.keys(init)) this.#list.push([k, String(init[k])]);
    }
    #parse(s) {
      this.#list = [];
      for (const part of String(s).replace(/^\?/, "").split("&")) {
        if (!part) continue;
        const eq = part.indexOf("=");
        this.#list.push(eq < 0 ? [decodeForm(part), ""] : [decodeForm(part.slice(0, eq)), decodeForm(part.slice(eq + 1))]);
      }
    }
    static _bind(params, s, onChange) { params.#parse(s); params.#onChange = onChange; }
    #changed() { if (this.#onChange) this.#onChange(this.toString()); }
    get size() { return this.#list.length; }
    append(k, v) { this.#list.push([String(k), String(v)]); this.#changed(); }
    delete(k, v) { this.#list = this.#list.filter(([a, b]) => a !== String(k) || (v !== undefined && b !== String(v))); this.#changed(); }
    get(k) { const e = this.#list.find(([a]) => a === String(k)); return e ? e[1] : null; }
    getAll(k) { return this.#list.filter(([a]) => a === String(k)).map(([, b]) => b); }
    has(k, v) { return this.#list.some(([a, b]) => a === String(k) && (v === undefined || b === String(v))); }
    set(k, v) {
      k = String(k);
      const i = this.#list.findIndex(([a]) => a === k);
      if (i < 0) this.#list.push([k, String(v)]);
      else { this.#list[i][1] = String(v); this.#list = this.#list.filter(([a], j) => a !== k || j <= i); }
      this.#changed();
    }
    sort() { this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); this.#changed(); }
    forEach(fn, thisArg) { for (const [k, v] of this.#list) fn.call(thisArg, v, k, this); }
    keys() { return this.#list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this.#list.map(([, v]) => v)[Symbol.iterator](); }
    entries() { return this.#list.map(([k, v]) => [k, v])[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this.#list.map(([k, v]) => `${encodeForm(k)}=${encodeForm(v)}`).join("&"); }
  }
  define("URLSearchParams", URLSearchParams);

  // ---- URL (absolute URLs of special schemes, and relative references against them) ----
  const DEFAULT_PORTS = { "http:": "80", "https:": "443", "ws:": "80", "wss:": "443", "ftp:": "21" };
  const encodeSet = (s, re) => s.replace(re, (c) => encodeURIComponent(c));
  function normalizePath(path) {
    const out = [];
    const segs = path.split("/");
    segs.forEach((seg, i) => {
      const last = i === segs.length - 1;
      if (seg === "." || seg.toLowerCase() === "%2e") { if (last) out.push(""); return; }
      if (seg === ".." || /^(\.|%2e){2}$/i.test(seg)) { if (out.length > 1) out.pop(); if (last) out.push(""); return; }
      out.push(seg);
    });
    return out.join("/") || "/";
  }
  class URL {
    #protocol = ""; #username = ""; #password = ""; #hostname = ""; #port = ""; #pathname = "/"; #search = ""; #hash = "";
    #params = null;
    constructor(input, base) {
      input = String(input).trim().replace(/[\t\n\r]/g, "");
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(input);
      if (m) this.#parseAbsolute(input, m[1].toLowerCase() + ":");
      else {
        if (base === undefined) throw new TypeError(`Invalid URL: ${input}`);
        this.#resolve(input, base instanceof URL ? base : new URL(base));
      }
    }
    static canParse(input, base) { try { new URL(input, base); return true; } catch { return false; } }
    static parse(input, base) { try { return new URL(input, base); } catch { return null; } }
    #parseAbsolute(input, protocol) {
      this.#protocol = protocol;
      let rest = input.slice(protocol.length).replace(/\\/g, protocol in DEFAULT_PORTS ? "/" : "\\");
      rest = this.#takeFragmentAndQuery(rest);
      if (rest.startsWith("//")) {
        rest = rest.slice(2);
        const slash = rest.indexOf("/");
        const authority = slash < 0 ? rest : rest.slice(0, slash);
        this.#setAuthority(authority);
        rest = slash < 0 ? "" : rest.slice(slash);
      } else if (protocol in DEFAULT_PORTS) throw new TypeError(`Invalid URL: ${input}`);
      this.#setPath(rest);
    }
    #takeFragmentAndQuery(rest) {
      const h = rest.indexOf("#");
      if (h >= 0) { this.#hash = h === rest.length - 1 ? "" : encodeSet(rest.slice(h), /[ "<>`]/g); rest = rest.slice(0, h); }
      const q = rest.indexOf("?");
      if (q >= 0) { this.#search = q === rest.length - 1 ? "" : encodeSet(rest.slice(q), /[ "<>#']/g); rest = rest.slice(0, q); }
      return rest;
    }
    #setAuthority(authority) {
      const at = authority.lastIndexOf("@");
      if (at >= 0) {
        const [user, ...pass] = authority.slice(0, at).split(":");
        this.#username = user;
        this.#password = pass.join(":");
        authority = authority.slice(at + 1);
      }
      const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
      if (!pm) throw new TypeError(`Invalid URL: bad host "${authority}"`);
      const host = pm[1].toLowerCase();
      if (!host && this.#protocol in DEFAULT_PORTS) throw new TypeError("Invalid URL: empty host");
      if (/[\s#%/:<>?@[\\\]^|]/.test(host.replace(/^\[[0-9a-f:.]*\]$/, ""))) throw new TypeError(`Invalid URL: bad host "${host}"`);
      this.#hostname = host;
      const port = pm[2] ?? "";
      if (port && Number(port) > 65535) throw new TypeError("Invalid URL: port out of range");
      this.#port = port === "" || String(Number(port)) === DEFAULT_PORTS[this.#protocol] ? "" : String(Number(port));
    }
    #setPath(path) {
      path = encodeSet(path, /[ "<>`#?{}]/g);
      if (this.#protocol in DEFAULT_PORTS) this.#pathname = normalizePath(path.startsWith("/") ? path : "/" + path);
      else this.#pathname = path;
    }
    #resolve(input, base) {
      this.#protocol = base.protocol;
      this.#username = base.username; this.#password = base.password;
      this.#hostname = base.hostname; this.#port = base.port;
      input = input.replace(/\\/g, "/");
      if (input.startsWith("//")) return this.#parseAbsolute(this.#protocol + input, this.#protocol);
      const rest = this.#takeFragmentAndQuery(input);
      if (rest === "") {
        this.#pathname = base.pathname;
        if (!input.startsWith("?") && !input.startsWith("#") && input !== "") return;
        if (input.startsWith("#")) this.#search = base.search;
        return;
      }
      if (rest.startsWith("/")) this.#setPath(rest);
      else this.#setPath(base.pathname.replace(/[^/]*$/, "") + rest);
    }
    get protocol() { return this.#protocol; }
    set protocol(v) { v = String(v).replace(/:.*$/, "").toLowerCase() + ":"; if (/^[a-z][a-z0-9+.-]*:$/.test(v)) this.#protocol = v; }
    get username() { return this.#username; }
    set username(v) { this.#username = encodeURIComponent(String(v)); }
    get password() { return this.#password; }
    set password(v) { this.#password = encodeURIComponent(String(v)); }
    get hostname() { return this.#hostname; }
    set hostname(v) { this.#hostname = String(v).toLowerCase(); }
    get port() { return this.#port; }
    set port(v) { v = String(v); this.#port = v === "" || v === DEFAULT_PORTS[this.#protocol] ? "" : String(parseInt(v, 10)); }
    get host() { return this.#port ? `${this.#hostname}:${this.#port}` : this.#hostname; }
    set host(v) { this.#setAuthority(String(v)); }
    get origin() { return this.#protocol in DEFAULT_PORTS ? `${this.#protocol}//${this.host}` : "null"; }
    get pathname() { return this.#pathname; }
    set pathname(v) { this.#setPath(String(v)); }
    get search() { return this.#search; }
    set search(v) { v = String(v); this.#search = v === "" || v === "?" ? "" : encodeSet(v.startsWith("?") ? v : "?" + v, /[ "<>#']/g); if (this.#params) URLSearchParams._bind(this.#params, this.#search, (s) => { this.#search = s ? "?" + s : ""; }); }
    get searchParams() {
      if (!this.#params) { this.#params = new URLSearchParams(); URLSearchParams._bind(this.#params, this.#search, (s) => { this.#search = s ? "?" + s : ""; }); }
      return this.#params;
    }
    get hash() { return this.#hash; }
    set hash(v) { v = String(v); this.#hash = v === "" || v === "#" ? "" : v.startsWith("#") ? v : "#" + v; }
    get href() {
      const auth = this.#username || this.#password ? `${this.#username}${this.#password ? ":" + this.#password : ""}@` : "";
      const slashes = this.#hostname || this.#protocol in DEFAULT_PORTS ? "//" : "";
      return `${this.#protocol}${slashes}${auth}${this.host}${this.#pathname}${this.#search}${this.#hash}`;
    }
    set href(v) { const u = new URL(v); this.#protocol = u.protocol; this.#username = u.username; this.#password = u.password; this.#hostname = u.hostname; this.#port = u.port; this.#pathname = u.pathname; this.search = u.search; this.#hash = u.hash; }
    toString() { return this.href; }
    toJSON() { return this.href; }
  }
  define("URL", URL);

  // ---- Headers ----
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const headerName = (n) => { n = String(n); if (!TOKEN.test(n)) throw new TypeError(`Invalid header name "${n}"`); return n.toLowerCase(); };
  const headerValue = (v) => { v = String(v).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ""); if (/[\0\r\n]/.test(v)) throw new TypeError("Invalid header value"); return v; };
  class Headers {
    #map = new Map(); // lower-case name → values
    constructor(init) {
      if (init instanceof Headers) for (const [k, vs] of init.#map) this.#map.set(k, [...vs]);
      else if (init && typeof init[Symbol.iterator] === "function") for (const pair of init) { const [k, v] = [...pair]; this.append(k, v); }
      else if (init && typeof init === "object") for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    append(k, v) { k = headerName(k); const vs = this.#map.get(k); if (vs) vs.push(headerValue(v)); else this.#map.set(k, [headerValue(v)]); }
    set(k, v) { this.#map.set(headerName(k), [headerValue(v)]); }
    delete(k) { this.#map.delete(headerName(k)); }
    get(k) { const vs = this.#map.get(headerName(k)); return vs ? vs.join(", ") : null; }
    getSetCookie() { return [...(this.#map.get("set-cookie") || [])]; }
    has(k) { return this.#map.has(headerName(k)); }
    forEach(fn, thisArg) { for (const [k, v] of this) fn.call(thisArg, v, k, this); }
    *entries() {
      for (const k of [...this.#map.keys()].sort()) {
        if (k === "set-cookie") for (const v of this.#map.get(k)) yield [k, v];
        else yield [k, this.#map.get(k).join(", ")];
      }
    }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }
  define("Headers", Headers);

  // ---- bodies (held in memory: a request body is read whole from stdin, a response is written whole) ----
  function extractBody(body, headers) {
    if (body === undefined || body === null) return null;
    const setType = (t) => { if (!headers.has("content-type")) headers.set("content-type", t); };
    if (typeof body === "string") { setType("text/plain;charset=UTF-8"); return new TextEncoder().encode(body); }
    if (body instanceof URLSearchParams) { setType("application/x-www-form-urlencoded;charset=UTF-8"); return new TextEncoder().encode(body.toString()); }
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return toBytes(body).slice();
    if (body instanceof Blob) { if (body.type) setType(body.type); return body._bytes.slice(); }
    if (body instanceof ReadableStream) return body;
    setType("text/plain;charset=UTF-8");
    return new TextEncoder().encode(String(body));
  }
  class Blob {
    constructor(parts = [], options = {}) {
      const chunks = parts.map((p) => (typeof p === "string" ? new TextEncoder().encode(p) : p instanceof Blob ? p._bytes : toBytes(p)));
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      Object.defineProperty(this, "_bytes", { value: out });
      this.type = String(options.type || "").toLowerCase();
    }
    get size() { return this._bytes.length; }
    async text() { return new TextDecoder().decode(this._bytes); }
    async arrayBuffer() { return this._bytes.slice().buffer; }
    async bytes() { return this._bytes.slice(); }
    slice(start, end, type) { return new Blob([this._bytes.slice(start, end)], { type }); }
  }
  define("Blob", Blob);
  // A minimal ReadableStream: enough to hand a response body over as chunks (enqueue, close).
  class ReadableStream {
    constructor(source = {}) {
      this._chunks = [];
      this._closed = false;
      const controller = { enqueue: (c) => this._chunks.push(typeof c === "string" ? new TextEncoder().encode(c) : toBytes(c)), close: () => { this._closed = true; }, error: (e) => { this._error = e; } };
      this._started = Promise.resolve(source.start && source.start(controller));
      this._pull = source.pull ? () => source.pull(controller) : null;
    }
    async _readAll() {
      await this._started;
      while (!this._closed && !this._error && this._pull) await this._pull();
      if (this._error) throw this._error;
      return new Blob(this._chunks)._bytes;
    }
  }
  define("ReadableStream", ReadableStream);

  class Body {
    #bytes; #used = false;
    _initBody(body, headers) { this.#bytes = extractBody(body, headers); }
    get body() { return this.#bytes === null ? null : this.#bytes instanceof ReadableStream ? this.#bytes : new ReadableStream({ start: (c) => { c.enqueue(this.#bytes); c.close(); } }); }
    get bodyUsed() { return this.#used; }
    async _consume() {
      if (this.#used) throw new TypeError("Body has already been used");
      this.#used = true;
      if (this.#bytes === null) return new Uint8Array(0);
      return this.#bytes instanceof ReadableStream ? this.#bytes._readAll() : this.#bytes;
    }
    _peek() { return this.#bytes; }
    async arrayBuffer() { return (await this._consume()).slice().buffer; }
    async bytes() { return (await this._consume()).slice(); }
    async text() { return new TextDecoder().decode(await this._consume()); }
    async json() { return JSON.parse(await this.text()); }
    async blob() { return new Blob([await this._consume()], { type: this.headers.get("content-type") || "" }); }
    async formData() { throw new TypeError("formData() is not supported: read the body with text() and parse it with URLSearchParams"); }
  }

  class Request extends Body {
    #method; #url; #headers; #signal;
    constructor(input, init = {}) {
      super();
      const from = input instanceof Request ? input : null;
      this.#url = from ? from.url : new URL(String(input)).href;
      this.#method = String(init.method ?? (from ? from.method : "GET")).toUpperCase();
      this.#headers = new Headers(init.headers ?? (from ? from.headers : undefined));
      const body = init.body !== undefined ? init.body : from ? from._peek() : null;
      if (body !== null && body !== undefined && (this.#method === "GET" || this.#method === "HEAD")) throw new TypeError("Request with GET/HEAD method cannot have body.");
      this._initBody(body, this.#headers);
      this.#signal = init.signal ?? { aborted: false, addEventListener() {}, removeEventListener() {} };
      this.cf = undefined;
    }
    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() { return this.#headers; }
    get signal() { return this.#signal; }
    get redirect() { return "follow"; }
    clone() { return new Request(this); }
  }
  define("Request", Request);

  const STATUS_TEXT = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
  class Response extends Body {
    #status; #statusText; #headers;
    constructor(body = null, init = {}) {
      super();
      const status = init.status ?? 200;
      if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`Response status must be 200–599, not ${status}`);
      this.#status = status;
      this.#statusText = String(init.statusText ?? "");
      this.#headers = new Headers(init.headers);
      this._initBody(body, this.#headers);
      this.webSocket = null;
    }
    static json(data, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(JSON.stringify(data), { ...init, headers });
    }
    static redirect(url, status = 302) {
      if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Invalid redirect status ${status}`);
      return new Response(null, { status, headers: { location: new URL(String(url)).href } });
    }
    static error() { return new Response(null, { status: 500 }); }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get ok() { return this.#status >= 200 && this.#status < 300; }
    get headers() { return this.#headers; }
    get redirected() { return false; }
    get type() { return "default"; }
    get url() { return ""; }
    clone() { return new Response(this._peek(), { status: this.#status, statusText: this.#statusText, headers: this.#headers }); }
  }
  define("Response", Response);

  // Outbound HTTP through the platform (docs/abi.md "Outbound HTTP"): only to the app's
  // allowed_hosts, within the request's caps; the call blocks this instance until the answer is in,
  // then the promise settles. Redirects are followed (and checked) by the host.
  const NULL_BODY = [101, 103, 204, 205, 304];
  define("fetch", async (input, init) => {
    const request = new Request(input, init);
    const body = request._peek() === null ? null : await request.bytes();
    const lines = [];
    request.headers.forEach((value, name) => lines.push(`${name}:${value}`));
    const [status, head, bytes] = wc.http(request.method, request.url, lines.join("\n"), body);
    const headers = new Headers();
    for (const line of head.split("\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const response = new Response(NULL_BODY.includes(status) || request.method === "HEAD" ? null : bytes, { status, headers });
    Object.defineProperty(response, "url", { value: request.url });
    return response;
  });
  define("structuredClone", (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v))));
  define("self", g);

  // ---- the app's KV store (docs/kv.md), Workers KV-like ----
  const kvKey = (k) => { k = String(k); if (!k) throw new TypeError("KV keys must not be empty"); return k; };
  const KV = {
    async get(key, options) {
      const type = typeof options === "string" ? options : (options && options.type) || "text";
      const buf = wc.kvGet(kvKey(key));
      if (buf === null) return null;
      if (type === "text") return new TextDecoder().decode(buf);
      if (type === "json") return JSON.parse(new TextDecoder().decode(buf));
      if (type === "arrayBuffer") return buf;
      if (type === "bytes") return new Uint8Array(buf);
      throw new TypeError(`KV.get: unknown type "${type}" (text, json, arrayBuffer, bytes)`);
    },
    async put(key, value, options = {}) {
      const bytes = typeof value === "string" ? new TextEncoder().encode(value) : toBytes(value);
      let ttl = 0;
      if (options.expirationTtl !== undefined) ttl = Math.max(1, Math.ceil(Number(options.expirationTtl)));
      else if (options.expiration !== undefined) ttl = Math.max(1, Math.ceil(Number(options.expiration) - Date.now() / 1000));
      wc.kvPut(kvKey(key), bytes, ttl);
    },
    async delete(key) { return wc.kvDelete(kvKey(key)); },
    async list(options = {}) {
      const prefix = String(options.prefix ?? "");
      const limit = Math.min(1000, Math.max(1, Number(options.limit ?? 1000)));
      let after = options.cursor ? String(options.cursor) : "";
      const keys = [];
      for (;;) {
        const page = wc.kvListPage(prefix, after);
        if (!page) break;
        for (const name of page.split("\n")) {
          if (keys.length === limit) return { keys, list_complete: false, cursor: keys[keys.length - 1].name };
          keys.push({ name });
        }
        after = keys[keys.length - 1].name;
      }
      return { keys, list_complete: true };
    },
    async increment(key, delta = 1) { return wc.kvIncrement(kvKey(key), delta); },
  };

  // ---- the request, from WAGI's environment ----
  const CGI_VARS = new Set(["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "PATH_TRANSLATED", "QUERY_STRING", "CONTENT_LENGTH", "CONTENT_TYPE", "REMOTE_ADDR", "REMOTE_HOST", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "SERVER_SOFTWARE", "GATEWAY_INTERFACE", "AUTH_TYPE", "REMOTE_USER", "X_FULL_URL", "X_MATCHED_ROUTE", "X_RAW_PATH_INFO"]);
  // Request headers arrive as HTTP_*: an app variable of that form is shadowed by them anyway.
  const isCgiVar = (name) => CGI_VARS.has(name) || name.startsWith("HTTP_");
  function incomingRequest() {
    const e = wc.env;
    const headers = new Headers();
    for (const name of Object.keys(e)) {
      if (name.startsWith("HTTP_")) {
        try { headers.append(name.slice(5).toLowerCase().replace(/_/g, "-"), e[name]); } catch { /* not a valid header name: skip */ }
      }
    }
    if (e.CONTENT_TYPE) headers.set("content-type", e.CONTENT_TYPE);
    if (e.CONTENT_LENGTH && e.CONTENT_LENGTH !== "0") headers.set("content-length", e.CONTENT_LENGTH);
    const method = e.REQUEST_METHOD || "GET";
    const hasBody = method !== "GET" && method !== "HEAD";
    const url = e.X_FULL_URL || `http://${e.SERVER_NAME || "localhost"}${e.SCRIPT_NAME === "/" ? "" : e.SCRIPT_NAME || ""}${e.X_RAW_PATH_INFO || ""}${e.QUERY_STRING ? "?" + e.QUERY_STRING : ""}`;
    return new Request(url, { method, headers, body: hasBody ? new Uint8Array(wc.body) : null });
  }
  function appEnv() {
    const env = {};
    for (const name of Object.keys(wc.env)) if (!isCgiVar(name)) env[name] = wc.env[name];
    env.KV = KV;
    return env;
  }

  // ---- the response, as CGI ----
  async function writeResponse(response) {
    if (!(response instanceof Response)) throw new TypeError(`The fetch handler must return a Response, not ${show(response, 1)}`);
    const bytes = await response._consume();
    const headers = response.headers;
    let head = `Status: ${response.status} ${response.statusText || STATUS_TEXT[response.status] || ""}`.trimEnd() + "\r\n";
    if (!headers.has("content-type") && !headers.has("location")) head += "content-type: application/octet-stream\r\n";
    for (const [k, v] of headers) if (k !== "status") head += `${k}: ${v}\r\n`;
    wc.write(head + "\r\n");
    if (bytes.length) wc.write(bytes);
  }

  // ---- uncaught errors, in terms of the app's source ----
  // A bundler's source map published beside the script (_worker.js.map: the CLI's and the IDE's
  // esbuild write one) turns "_worker.js:L:C" frames into "src/index.ts:L:C (_worker.js:L:C)".
  // engine.c calls this for the stack of an error nobody caught; it runs once per failed request.
  const B64_VALUE = {};
  for (let i = 0; i < B64.length; i++) B64_VALUE[B64[i]] = i;
  function decodeMappings(mappings) {
    const lines = [];
    let source = 0, line = 0, column = 0;
    for (const text of mappings.split(";")) {
      const segments = [];
      let generated = 0;
      for (const segment of text.split(",")) {
        if (!segment) continue;
        const fields = [];
        let value = 0, shift = 0;
        for (const ch of segment) {
          const digit = B64_VALUE[ch];
          if (digit === undefined) return lines;
          value += (digit & 31) << shift;
          if (digit & 32) { shift += 5; continue; }
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
        generated += fields[0];
        if (fields.length >= 4) {
          source += fields[1]; line += fields[2]; column += fields[3];
          segments.push([generated, source, line, column]);
        }
      }
      lines.push(segments);
    }
    return lines;
  }
  wc.mapStack = (stack) => {
    const text = wc.readText("/app/_worker.js.map");
    if (text === null) return stack;
    const map = JSON.parse(text);
    const lines = decodeMappings(String(map.mappings || ""));
    const sources = (map.sources || []).map((s) => String(s).replace(/^(\.\.\/)+/, ""));
    return stack.replace(/_worker\.js:(\d+)(?::(\d+))?/g, (frame, l, c) => {
      const segments = lines[Number(l) - 1] || [];
      const column = c === undefined ? 0 : Number(c) - 1;
      let best = null;
      for (const s of segments) if (s[0] <= column) best = s; else break;
      if (!best && segments.length) best = segments[0];
      return best ? `${sources[best[1]] ?? "?"}:${best[2] + 1}:${best[3] + 1} (${frame})` : frame;
    });
  };

  wc.serve = async (mod) => {
    const handler = mod.default;
    if (!handler || typeof handler.fetch !== "function") {
      throw new TypeError("_worker.js must `export default { async fetch(request, env, ctx) { … } }`");
    }
    const waiting = [];
    const ctx = { waitUntil: (p) => waiting.push(Promise.resolve(p)), passThroughOnException() {} };
    const response = await handler.fetch(incomingRequest(), appEnv(), ctx);
    await writeResponse(response);
    const settled = await Promise.allSettled(waiting);
    for (const s of settled) if (s.status === "rejected") console.error("waitUntil:", s.reason);
  };
})(globalThis.__wc);
