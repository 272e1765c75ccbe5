/*
 * The WasmCompute JavaScript engine: QuickJS embedded as a WAGI module (wasm32-wasi preview1).
 * Per request: read the body from stdin, evaluate the web API layer (runtime.js, compiled in),
 * load the app's bundled script from /app/_worker.js as an ES module and call its default
 * export's fetch(request, env, ctx); runtime.js writes the CGI response through __wc.write.
 * The loading can be done once instead, in a snapshot the host makes (wc_initialize below).
 * Errors the script cannot catch (syntax errors, a rejected handler) become a 500 with the
 * stack on stderr, which the platform keeps in the app's logs.
 * Built by scripts/build-js-engine.sh; see docs/javascript.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include "quickjs.h"
#ifdef WC_DUMP_RUNTIME
#include "runtime-js.h" /* generated: const char RUNTIME_JS[]; size_t RUNTIME_JS_LEN (the source) */
#else
#include "runtime-bc.h" /* generated: const uint8_t RUNTIME_BC[]; size_t RUNTIME_BC_LEN (its bytecode) */
#endif

#define SCRIPT_PATH "/app/_worker.js"

/* The platform's imports (docs/abi.md, "The wasmcompute import module"). */
#define WC_IMPORT(name) __attribute__((import_module("wasmcompute"), import_name(name)))
WC_IMPORT("log") void wc_log(int32_t level, const char *msg, size_t len);
WC_IMPORT("kv_get") int32_t wc_kv_get(const char *key, size_t key_len, uint8_t *buf, size_t buf_len);
WC_IMPORT("kv_set_ttl") int32_t wc_kv_set_ttl(const char *key, size_t key_len, const uint8_t *val, size_t val_len, int32_t ttl);
WC_IMPORT("kv_delete") int32_t wc_kv_delete(const char *key, size_t key_len);
WC_IMPORT("kv_list_page") int32_t wc_kv_list_page(const char *prefix, size_t prefix_len, const char *after, size_t after_len, uint8_t *buf, size_t buf_len);
WC_IMPORT("kv_incr") int32_t wc_kv_incr(const char *key, size_t key_len, int64_t delta, int64_t *out);
WC_IMPORT("http_request") int32_t wc_http_request(const char *method, size_t method_len, const char *url, size_t url_len,
                                                  const char *headers, size_t headers_len, const uint8_t *body, size_t body_len);
WC_IMPORT("http_status") int32_t wc_http_status(int32_t handle);
WC_IMPORT("http_headers") int32_t wc_http_headers(int32_t handle, uint8_t *buf, size_t buf_len);
WC_IMPORT("http_body") int32_t wc_http_body(int32_t handle, uint8_t *buf, size_t buf_len);
WC_IMPORT("http_close") int32_t wc_http_close(int32_t handle);
WC_IMPORT("http_error") int32_t wc_http_error(uint8_t *buf, size_t buf_len);

extern char **environ;

/* Set while wizer.initialize loads the script for a snapshot (see wc_initialize below): a host call
 * whose effect or answer belongs to a request (output, logs, randomness, timers, KV, HTTP) marks the
 * load as not snapshottable, and requests then load the script themselves, as without a snapshot. */
static int initializing, load_had_effects;
#define REQUEST_ONLY() (load_had_effects |= initializing)

static uint8_t *read_all(FILE *f, size_t *len) {
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (n == cap) {
      uint8_t *bigger = realloc(buf, cap *= 2);
      if (!bigger) { free(buf); return NULL; }
      buf = bigger;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  *len = n;
  return buf;
}

/* Bytes of an ArrayBuffer, a typed array or a DataView (NULL and an exception otherwise). */
static uint8_t *bytes_of(JSContext *ctx, JSValueConst v, size_t *len) {
  uint8_t *p = JS_GetArrayBuffer(ctx, len, v);
  if (p) return p;
  JS_FreeValue(ctx, JS_GetException(ctx));
  size_t offset, size, elem;
  JSValue ab = JS_GetTypedArrayBuffer(ctx, v, &offset, &size, &elem);
  if (JS_IsException(ab)) return NULL;
  p = JS_GetArrayBuffer(ctx, len, ab);
  JS_FreeValue(ctx, ab);
  if (!p) return NULL;
  *len = size;
  return p + offset;
}

static JSValue kv_error(JSContext *ctx, int32_t code) {
  static const char *names[] = {"", "NOT_FOUND", "UNAVAILABLE", "INVALID", "HOST_ERROR", "CONFLICT"};
  const char *name = code <= -1 && code >= -5 ? names[-code] : "UNKNOWN";
  return JS_ThrowTypeError(ctx, "KV %s (%d)", name, code);
}

/* __wc.write(string | bytes): appends to stdout. */
static JSValue host_write(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t len;
  if (JS_IsString(argv[0])) {
    const char *s = JS_ToCStringLen(ctx, &len, argv[0]);
    if (!s) return JS_EXCEPTION;
    fwrite(s, 1, len, stdout);
    JS_FreeCString(ctx, s);
  } else {
    uint8_t *p = bytes_of(ctx, argv[0], &len);
    if (!p) return JS_EXCEPTION;
    fwrite(p, 1, len, stdout);
  }
  return JS_UNDEFINED;
}

/* __wc.log(level, text): one line in the app's logs. */
static JSValue host_log(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  int32_t level;
  size_t len;
  if (JS_ToInt32(ctx, &level, argv[0])) return JS_EXCEPTION;
  const char *s = JS_ToCStringLen(ctx, &len, argv[1]);
  if (!s) return JS_EXCEPTION;
  wc_log(level, s, len);
  JS_FreeCString(ctx, s);
  return JS_UNDEFINED;
}

/* __wc.random(n): n cryptographically secure bytes (WASI random_get). */
static JSValue host_random(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  uint32_t n;
  if (JS_ToUint32(ctx, &n, argv[0])) return JS_EXCEPTION;
  if (n > 65536) return JS_ThrowRangeError(ctx, "at most 65536 random bytes at a time");
  uint8_t buf[256];
  uint8_t *p = n <= sizeof buf ? buf : malloc(n);
  if (!p) return JS_ThrowOutOfMemory(ctx);
  for (uint32_t off = 0; off < n; off += 256) getentropy(p + off, n - off < 256 ? n - off : 256);
  JSValue ab = JS_NewArrayBufferCopy(ctx, p, n);
  if (p != buf) free(p);
  return ab;
}

/* __wc.encode(string): its UTF-8 bytes as an ArrayBuffer. */
static JSValue host_encode(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t len;
  const char *s = JS_ToCStringLen(ctx, &len, argv[0]);
  if (!s) return JS_EXCEPTION;
  JSValue ab = JS_NewArrayBufferCopy(ctx, (const uint8_t *)s, len);
  JS_FreeCString(ctx, s);
  return ab;
}

/* __wc.decode(bytes): the text (invalid UTF-8 becomes U+FFFD). */
static JSValue host_decode(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  size_t len;
  uint8_t *p = bytes_of(ctx, argv[0], &len);
  if (!p) return JS_EXCEPTION;
  return JS_NewStringLen(ctx, (const char *)p, len);
}

/* __wc.sleep(ms): timers wait here (WASI poll_oneoff on a clock). */
static JSValue host_sleep(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  double ms;
  if (JS_ToFloat64(ctx, &ms, argv[0])) return JS_EXCEPTION;
  if (ms > 0) {
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6)};
    nanosleep(&ts, NULL);
  }
  return JS_UNDEFINED;
}

/* __wc.kvGet(key): ArrayBuffer | null. */
static JSValue host_kv_get(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t klen;
  const char *key = JS_ToCStringLen(ctx, &klen, argv[0]);
  if (!key) return JS_EXCEPTION;
  uint8_t small[1024];
  int32_t n = wc_kv_get(key, klen, small, sizeof small);
  JSValue result;
  if (n == -1) result = JS_NULL;
  else if (n < 0) result = kv_error(ctx, n);
  else if ((size_t)n <= sizeof small) result = JS_NewArrayBufferCopy(ctx, small, n);
  else {
    uint8_t *buf = malloc(n);
    int32_t m = buf ? wc_kv_get(key, klen, buf, n) : -4;
    result = m < 0 ? (m == -1 ? JS_NULL : kv_error(ctx, m)) : JS_NewArrayBufferCopy(ctx, buf, m <= n ? m : n);
    free(buf);
  }
  JS_FreeCString(ctx, key);
  return result;
}

/* __wc.kvPut(key, bytes, ttlSeconds). */
static JSValue host_kv_put(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t klen, vlen;
  int32_t ttl;
  uint8_t *val = bytes_of(ctx, argv[1], &vlen);
  if (!val || JS_ToInt32(ctx, &ttl, argv[2])) return JS_EXCEPTION;
  const char *key = JS_ToCStringLen(ctx, &klen, argv[0]);
  if (!key) return JS_EXCEPTION;
  int32_t r = wc_kv_set_ttl(key, klen, val, vlen, ttl);
  JS_FreeCString(ctx, key);
  return r < 0 ? kv_error(ctx, r) : JS_UNDEFINED;
}

/* __wc.kvDelete(key): whether the key existed. */
static JSValue host_kv_delete(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t klen;
  const char *key = JS_ToCStringLen(ctx, &klen, argv[0]);
  if (!key) return JS_EXCEPTION;
  int32_t r = wc_kv_delete(key, klen);
  JS_FreeCString(ctx, key);
  if (r == -1) return JS_FALSE;
  return r < 0 ? kv_error(ctx, r) : JS_TRUE;
}

/* __wc.kvListPage(prefix, after): the next keys, "\n"-joined ("" at the end). */
static JSValue host_kv_list_page(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t plen, alen;
  const char *prefix = JS_ToCStringLen(ctx, &plen, argv[0]);
  if (!prefix) return JS_EXCEPTION;
  const char *after = JS_ToCStringLen(ctx, &alen, argv[1]);
  if (!after) { JS_FreeCString(ctx, prefix); return JS_EXCEPTION; }
  JSValue result;
  int32_t n = wc_kv_list_page(prefix, plen, after, alen, NULL, 0);
  if (n < 0) result = kv_error(ctx, n);
  else {
    uint8_t *buf = malloc(n ? n : 1);
    int32_t m = buf ? wc_kv_list_page(prefix, plen, after, alen, buf, n) : -4;
    result = m < 0 ? kv_error(ctx, m) : JS_NewStringLen(ctx, (const char *)buf, m <= n ? m : n);
    free(buf);
  }
  JS_FreeCString(ctx, prefix);
  JS_FreeCString(ctx, after);
  return result;
}

/* __wc.kvIncrement(key, delta): the new value. */
static JSValue host_kv_incr(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t klen;
  int64_t delta, out = 0;
  if (JS_ToInt64(ctx, &delta, argv[1])) return JS_EXCEPTION;
  const char *key = JS_ToCStringLen(ctx, &klen, argv[0]);
  if (!key) return JS_EXCEPTION;
  int32_t r = wc_kv_incr(key, klen, delta, &out);
  JS_FreeCString(ctx, key);
  return r < 0 ? kv_error(ctx, r) : JS_NewInt64(ctx, out);
}

/* One of an http response's parts (http_headers / http_body): asks its length, then copies it. */
static uint8_t *http_part(int32_t (*part)(int32_t, uint8_t *, size_t), int32_t handle, size_t *len) {
  int32_t n = part(handle, NULL, 0);
  if (n < 0) return NULL;
  uint8_t *buf = malloc(n ? n : 1);
  if (buf && part(handle, buf, n) != n) { free(buf); return NULL; }
  *len = n;
  return buf;
}

/* __wc.http(method, url, headers "name:value\n"…, body bytes | null): [status, headers text, body
 * ArrayBuffer]. The host applies the app's allowed_hosts and the request's caps; a refused or failed
 * call throws a TypeError with the host's reason in words (http_error), as fetch() rejects. */
static JSValue host_http(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  size_t mlen, ulen, hlen, blen = 0;
  uint8_t *body = NULL;
  if (!JS_IsNull(argv[3]) && !JS_IsUndefined(argv[3]) && !(body = bytes_of(ctx, argv[3], &blen))) return JS_EXCEPTION;
  const char *method = JS_ToCStringLen(ctx, &mlen, argv[0]);
  const char *url = method ? JS_ToCStringLen(ctx, &ulen, argv[1]) : NULL;
  const char *headers = url ? JS_ToCStringLen(ctx, &hlen, argv[2]) : NULL;
  JSValue result = JS_EXCEPTION;
  if (headers) {
    int32_t handle = wc_http_request(method, mlen, url, ulen, headers, hlen, body ? body : (const uint8_t *)"", blen);
    if (handle <= 0) {
      char why[512];
      int32_t n = wc_http_error((uint8_t *)why, sizeof why - 1);
      why[n > 0 && (size_t)n < sizeof why ? n : 0] = 0;
      result = JS_ThrowTypeError(ctx, "fetch %s failed: %s", url, *why ? why : "outbound HTTP refused");
    } else {
      size_t head_len = 0, data_len = 0;
      uint8_t *head = http_part(wc_http_headers, handle, &head_len);
      uint8_t *data = head ? http_part(wc_http_body, handle, &data_len) : NULL;
      if (!data) result = JS_ThrowTypeError(ctx, "fetch %s failed: the response could not be read", url);
      else {
        result = JS_NewArray(ctx);
        JS_SetPropertyUint32(ctx, result, 0, JS_NewInt32(ctx, wc_http_status(handle)));
        JS_SetPropertyUint32(ctx, result, 1, JS_NewStringLen(ctx, (const char *)head, head_len));
        JS_SetPropertyUint32(ctx, result, 2, JS_NewArrayBufferCopy(ctx, data, data_len));
      }
      free(head);
      free(data);
      wc_http_close(handle);
    }
  }
  JS_FreeCString(ctx, method);
  JS_FreeCString(ctx, url);
  JS_FreeCString(ctx, headers);
  return result;
}

/* __wc.readText(path): a file of the app's (under /app) as text, or null when there is none. */
static JSValue host_read_text(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argv[0]);
  if (!path) return JS_EXCEPTION;
  FILE *f = fopen(path, "rb");
  JS_FreeCString(ctx, path);
  if (!f) return JS_NULL;
  size_t len;
  uint8_t *text = read_all(f, &len);
  fclose(f);
  if (!text) return JS_NULL;
  JSValue s = JS_NewStringLen(ctx, (const char *)text, len);
  free(text);
  return s;
}

/* __wc.effect(): runtime.js calls it where a request-only effect happens in JS (a timer is set). */
static JSValue host_effect(JSContext *ctx, JSValueConst this, int argc, JSValueConst *argv) {
  REQUEST_ONLY();
  return JS_UNDEFINED;
}

static void install_host(JSContext *ctx) {
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue wc = JS_NewObject(ctx);
  static const struct { const char *name; JSCFunction *fn; int argc; } fns[] = {
      {"write", host_write, 1},       {"log", host_log, 2},         {"random", host_random, 1},
      {"encode", host_encode, 1},     {"decode", host_decode, 1},   {"sleep", host_sleep, 1},
      {"kvGet", host_kv_get, 1},      {"kvPut", host_kv_put, 3},    {"kvDelete", host_kv_delete, 1},
      {"kvListPage", host_kv_list_page, 2}, {"kvIncrement", host_kv_incr, 2}, {"http", host_http, 4},
      {"readText", host_read_text, 1}, {"effect", host_effect, 0},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
    JS_SetPropertyStr(ctx, wc, fns[i].name, JS_NewCFunction(ctx, fns[i].fn, fns[i].name, fns[i].argc));
  JS_SetPropertyStr(ctx, global, "__wc", wc);
  JS_FreeValue(ctx, global);
}

/* The request's parts of __wc: the environment (CGI variables and the app's) and the body. */
static void install_request(JSContext *ctx, JSValueConst wc, const uint8_t *body, size_t body_len) {
  JSValue env = JS_NewObject(ctx);
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq) continue;
    JSAtom name = JS_NewAtomLen(ctx, *e, eq - *e);
    JS_SetProperty(ctx, env, name, JS_NewString(ctx, eq + 1));
    JS_FreeAtom(ctx, name);
  }
  JS_SetPropertyStr(ctx, wc, "env", env);
  JS_SetPropertyStr(ctx, wc, "body", JS_NewArrayBufferCopy(ctx, body, body_len));
}

/* Prints the pending exception (message and stack) to stderr and answers 500. */
static int fail(JSContext *ctx, const char *what) {
  JSValue ex = JS_GetException(ctx);
  const char *msg = JS_ToCString(ctx, ex);
  fprintf(stderr, "%s: %s\n", what, msg ? msg : "(unprintable exception)");
  JS_FreeCString(ctx, msg);
  if (JS_IsObject(ex)) {
    JSValue stack = JS_GetPropertyStr(ctx, ex, "stack");
    /* Point the frames at the app's own source when the bundle came with a source map (runtime.js). */
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue wc = JS_GetPropertyStr(ctx, global, "__wc");
    JSValue map_stack = JS_IsObject(wc) ? JS_GetPropertyStr(ctx, wc, "mapStack") : JS_UNDEFINED;
    if (JS_IsFunction(ctx, map_stack) && JS_IsString(stack)) {
      JSValue mapped = JS_Call(ctx, map_stack, wc, 1, &stack);
      if (JS_IsString(mapped)) { JS_FreeValue(ctx, stack); stack = mapped; }
      else { JS_FreeValue(ctx, mapped); JS_FreeValue(ctx, JS_GetException(ctx)); }
    }
    JS_FreeValue(ctx, map_stack);
    JS_FreeValue(ctx, wc);
    JS_FreeValue(ctx, global);
    const char *s = JS_IsUndefined(stack) ? NULL : JS_ToCString(ctx, stack);
    if (s && *s) fprintf(stderr, "%s", s);
    JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, stack);
  }
  JS_FreeValue(ctx, ex);
  fputs("Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nInternal Server Error\n", stdout);
  return 0;
}

/* Runs queued jobs until the promise settles, then timers (runtime.js) one at a time. */
static int settle(JSContext *ctx, JSValueConst promise, JSValueConst run_timer) {
  JSContext *job_ctx;
  for (;;) {
    int r;
    while ((r = JS_ExecutePendingJob(JS_GetRuntime(ctx), &job_ctx)) > 0) {}
    if (r < 0) return -1;
    if (JS_PromiseState(ctx, promise) != JS_PROMISE_PENDING) return 0;
    JSValue ran = JS_Call(ctx, run_timer, JS_UNDEFINED, 0, NULL);
    if (JS_IsException(ran)) return -1;
    int more = JS_ToBool(ctx, ran);
    JS_FreeValue(ctx, ran);
    if (!more) return 1; /* nothing left that could settle it */
  }
}

#ifdef WC_DUMP_RUNTIME
/* Build step (scripts/build-js-engine.sh): runtime.js compiled to this engine's bytecode on stdout,
 * so that requests skip parsing it. Bytecode is only valid for the same QuickJS build. */
int main(void) {
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = JS_NewContext(rt);
  JSValue fn = JS_Eval(ctx, RUNTIME_JS, RUNTIME_JS_LEN, "wasmcompute:runtime", JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT | JS_EVAL_FLAG_COMPILE_ONLY);
  if (JS_IsException(fn)) { fail(ctx, "runtime.js"); return 1; }
  size_t len;
  uint8_t *bc = JS_WriteObject(ctx, &len, fn, JS_WRITE_OBJ_BYTECODE);
  if (!bc) return 1;
  fwrite(bc, 1, len, stdout);
  return 0;
}
#else
/* QuickJS seeds Math.random from the clock when it makes a context; the build script adds this
 * setter, so every request (a snapshot's included) draws a seed of its own from WASI random_get. */
void wc_js_seed_random(JSContext *ctx, uint64_t seed);

static void seed_random(JSContext *ctx) {
  uint64_t seed = 0;
  getentropy(&seed, sizeof seed);
  wc_js_seed_random(ctx, seed);
}

/* The engine with runtime.js and the app's script evaluated, ready to serve. */
static struct {
  int ready; /* set in a snapshot: main() only serves */
  JSContext *ctx;
  JSValue wc, serve, run_timer, ns;
} app;

static void no_script(void) {
  fprintf(stderr, "wasmcompute-js: cannot read %s (publish the bundled script as _worker.js)\n", SCRIPT_PATH);
  fputs("Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nInternal Server Error\n", stdout);
}

/* Loads runtime.js and the app's script into `app`. NULL on success; otherwise what failed, with the
 * exception pending in app.ctx ("" when there is no script to load). */
static const char *load(void) {
  size_t script_len = 0;
  FILE *f = fopen(SCRIPT_PATH, "rb");
  uint8_t *script = f ? read_all(f, &script_len) : NULL;
  if (f) fclose(f);
  if (!script) return "";

  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = app.ctx = JS_NewContext(rt);
  install_host(ctx);
  JSValue v = JS_ReadObject(ctx, RUNTIME_BC, RUNTIME_BC_LEN, JS_READ_OBJ_BYTECODE);
  if (!JS_IsException(v)) v = JS_EvalFunction(ctx, v);
  if (JS_IsException(v)) return "wasmcompute-js runtime";
  JS_FreeValue(ctx, v);
  JSValue global = JS_GetGlobalObject(ctx);
  app.wc = JS_GetPropertyStr(ctx, global, "__wc");
  JS_FreeValue(ctx, global);
  app.serve = JS_GetPropertyStr(ctx, app.wc, "serve");
  app.run_timer = JS_GetPropertyStr(ctx, app.wc, "runTimer");

  /* The script must be NUL-terminated for the parser. */
  uint8_t *text = realloc(script, script_len + 1);
  if (!text) return "wasmcompute-js";
  text[script_len] = 0;
  JSValue mod = JS_Eval(ctx, (const char *)text, script_len, "_worker.js", JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
  free(text);
  if (JS_IsException(mod)) return "Uncaught error loading _worker.js";
  JSModuleDef *m = JS_VALUE_GET_PTR(mod);
  JSValue loaded = JS_EvalFunction(ctx, mod);
  if (JS_IsException(loaded)) return "Uncaught error loading _worker.js";
  if (settle(ctx, loaded, app.run_timer) < 0) return "Uncaught error loading _worker.js";
  if (JS_PromiseState(ctx, loaded) == JS_PROMISE_REJECTED) {
    JS_Throw(ctx, JS_PromiseResult(ctx, loaded));
    return "Uncaught error loading _worker.js";
  }
  JS_FreeValue(ctx, loaded);
  app.ns = JS_GetModuleNamespace(ctx, m);
  return NULL;
}

/*
 * Pre-initialisation, Wizer's convention (docs/abi.md, "Snapshots"): the host calls this export once
 * per app version on a fresh instance, keeps the memory it leaves, and starts each request's fresh
 * instance from that memory; main() then finds the script loaded and only serves. When the load
 * failed or did something that belongs to a request, it exits 1: the host keeps no snapshot and
 * every request loads the script itself (the same answers and logs, only slower).
 * wasm-ld runs the C constructors around every export of a command, this one included, and _start
 * runs them again per request: the environment is read afresh then.
 */
__attribute__((export_name("wizer.initialize"))) void wc_initialize(void) {
  initializing = 1;
  const char *failed = load();
  initializing = 0;
  if (failed || load_had_effects) exit(1);
  app.ready = 1;
}

int main(void) {
  size_t body_len = 0;
  uint8_t *body = read_all(stdin, &body_len);
  if (!body) return no_script(), 0;
  if (app.ready) seed_random(app.ctx);
  else {
    const char *failed = load();
    if (failed && !*failed) return no_script(), 0;
    if (failed) return fail(app.ctx, failed);
    seed_random(app.ctx);
  }
  JSContext *ctx = app.ctx;
  install_request(ctx, app.wc, body, body_len);
  free(body);

  JSValue done = JS_Call(ctx, app.serve, app.wc, 1, &app.ns);
  if (JS_IsException(done)) return fail(ctx, "Uncaught");
  int r = settle(ctx, done, app.run_timer);
  if (r < 0) return fail(ctx, "Uncaught");
  if (r > 0) {
    JS_ThrowInternalError(ctx, "the fetch handler's promise never settled (nothing left to wait for)");
    return fail(ctx, "Uncaught");
  }
  if (JS_PromiseState(ctx, done) == JS_PROMISE_REJECTED) {
    JS_Throw(ctx, JS_PromiseResult(ctx, done));
    return fail(ctx, "Uncaught");
  }
  /* The instance ends here: no teardown needed, the host drops all memory. */
  fflush(stdout);
  return 0;
}
#endif
