/*
 * wasmcompute.h — the WasmCompute guest SDK for C (header-only).
 *
 * Wraps the "wasmcompute" host imports (docs/abi.md): the app's key-value store and the log.
 * Build with the WASI toolchain, nothing else needed:
 *
 *   clang --target=wasm32-wasi --sysroot=/usr -O2 -s -I sdk/c -o app.wasm app.c
 *
 * Every kv function returns a wc_status: WC_OK (0) or a negative code below; results come back
 * through out-parameters. Keys are NUL-terminated UTF-8 strings (1–1024 bytes, no '\n').
 * Values are bytes (pointer + length). Strings returned by the SDK are malloc'ed: free() them.
 *
 * Writes (wc_kv_set*, wc_kv_delete) are committed when the request finishes successfully, all
 * together; wc_kv_incr and wc_kv_cas are atomic and durable at once (docs/kv.md).
 */
#ifndef WASMCOMPUTE_H
#define WASMCOMPUTE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t wc_status;

#define WC_OK 0
/** No such key (wc_kv_get, wc_kv_delete). */
#define WC_NOT_FOUND (-1)
/** No store is attached to this run (e.g. an IDE preview without a datastore). */
#define WC_UNAVAILABLE (-2)
/** Bad key: empty, longer than 1024 bytes, not UTF-8, or containing '\n'. */
#define WC_INVALID (-3)
/** The store refused or failed: a quota, a storage error. The reason is in the app's logs. */
#define WC_HOST_ERROR (-4)
/** wc_kv_cas found another value; wc_kv_incr found a value that is not an integer. */
#define WC_CONFLICT (-5)
/** The SDK could not allocate memory (not a host code). */
#define WC_NO_MEMORY (-100)

/** A short English name for a status, e.g. "not found" (static string). */
static inline const char *wc_status_text(wc_status s) {
  switch (s) {
    case WC_OK: return "ok";
    case WC_NOT_FOUND: return "not found";
    case WC_UNAVAILABLE: return "no key-value store attached";
    case WC_INVALID: return "invalid key";
    case WC_HOST_ERROR: return "store error (quota or storage; see the app's logs)";
    case WC_CONFLICT: return "conflict";
    case WC_NO_MEMORY: return "out of memory";
    default: return "unknown error";
  }
}

/* ---- raw host imports (docs/abi.md) -------------------------------------------------------- */

#define WC__IMPORT(name) __attribute__((import_module("wasmcompute"), import_name(#name)))

WC__IMPORT(log) void wc__log(int32_t level, const char *msg, size_t len);
WC__IMPORT(kv_get) int32_t wc__kv_get(const char *key, size_t key_len, void *buf, size_t buf_len);
WC__IMPORT(kv_set) int32_t wc__kv_set(const char *key, size_t key_len, const void *val, size_t val_len);
WC__IMPORT(kv_set_ttl) int32_t wc__kv_set_ttl(const char *key, size_t key_len, const void *val, size_t val_len, uint32_t ttl_seconds);
WC__IMPORT(kv_delete) int32_t wc__kv_delete(const char *key, size_t key_len);
WC__IMPORT(kv_incr) int32_t wc__kv_incr(const char *key, size_t key_len, int64_t delta, int64_t *out);
WC__IMPORT(kv_cas) int32_t wc__kv_cas(const char *key, size_t key_len, const void *expected, int32_t expected_len, const void *val, size_t val_len);
WC__IMPORT(kv_list_page) int32_t wc__kv_list_page(const char *prefix, size_t prefix_len, const char *after, size_t after_len, void *buf, size_t buf_len);

#undef WC__IMPORT

/* ---- log ------------------------------------------------------------------------------------ */

#define WC_LOG_DEBUG 0
#define WC_LOG_INFO 1
#define WC_LOG_WARN 2
#define WC_LOG_ERROR 3

/** Writes one line to the app's logs, tied to this request. */
static inline void wc_log(int level, const char *message) { wc__log(level, message, strlen(message)); }

/* ---- key-value ------------------------------------------------------------------------------ */

/**
 * Reads `key`. On WC_OK, *value is a malloc'ed copy of the value with a NUL appended (so text
 * values are C strings) and *len its length without that NUL; free(*value) when done.
 */
static inline wc_status wc_kv_get(const char *key, char **value, size_t *len) {
  size_t key_len = strlen(key);
  size_t cap = 256;
  char *buf = (char *)malloc(cap + 1);
  if (!buf) return WC_NO_MEMORY;
  for (;;) {
    int32_t n = wc__kv_get(key, key_len, buf, cap);
    if (n < 0) {
      free(buf);
      return n;
    }
    if ((size_t)n <= cap) {
      buf[n] = 0;
      *value = buf;
      *len = (size_t)n;
      return WC_OK;
    }
    /* Too small: the host told us the size; grow and ask again (the value may change meanwhile). */
    cap = (size_t)n;
    char *bigger = (char *)realloc(buf, cap + 1);
    if (!bigger) {
      free(buf);
      return WC_NO_MEMORY;
    }
    buf = bigger;
  }
}

/** Writes `len` bytes at `value` under `key`. WC_HOST_ERROR when a quota refuses it. */
static inline wc_status wc_kv_set(const char *key, const void *value, size_t len) {
  return wc__kv_set(key, strlen(key), value, len);
}

/** wc_kv_set of a C string (without its NUL). */
static inline wc_status wc_kv_set_str(const char *key, const char *value) { return wc_kv_set(key, value, strlen(value)); }

/** wc_kv_set that expires `ttl_seconds` after the commit (0: never). */
static inline wc_status wc_kv_set_ttl(const char *key, const void *value, size_t len, uint32_t ttl_seconds) {
  return wc__kv_set_ttl(key, strlen(key), value, len, ttl_seconds);
}

/** Deletes `key`: WC_OK, or WC_NOT_FOUND when it did not exist. */
static inline wc_status wc_kv_delete(const char *key) { return wc__kv_delete(key, strlen(key)); }

/**
 * Atomically adds `delta` to the decimal integer stored at `key` (a missing key counts as 0) and
 * puts the new value in *out (may be NULL). WC_CONFLICT when the value is not an integer.
 */
static inline wc_status wc_kv_incr(const char *key, int64_t delta, int64_t *out) {
  int64_t value = 0;
  int32_t rc = wc__kv_incr(key, strlen(key), delta, &value);
  if (rc == 0 && out) *out = value;
  return rc;
}

/**
 * Compare-and-set: writes `value` only if `key` holds exactly `expected` (`expected == NULL`: only
 * if the key does not exist). WC_OK when written, WC_CONFLICT when not.
 */
static inline wc_status wc_kv_cas(const char *key, const void *expected, size_t expected_len, const void *value, size_t len) {
  return wc__kv_cas(key, strlen(key), expected, expected ? (int32_t)expected_len : -1, value, len);
}

/**
 * Lists keys starting with a prefix, page by page (at most 1000 keys per host call), in byte order:
 *
 *   wc_kv_iter it;
 *   wc_kv_iter_init(&it, "user:");
 *   for (const char *k; (k = wc_kv_iter_next(&it)); ) puts(k);
 *   if (it.status != WC_OK) ...;   // the listing stopped on an error
 *   wc_kv_iter_free(&it);
 */
typedef struct {
  const char *prefix;
  size_t prefix_len;
  char *page;      /* the current page, '\n'-joined keys; each is NUL-terminated in place */
  size_t page_cap;
  size_t page_len;
  size_t pos;
  char *after;     /* the last key returned: the next page starts after it */
  size_t after_len;
  int done;
  wc_status status; /* WC_OK, or the error that ended the listing */
} wc_kv_iter;

static inline void wc_kv_iter_init(wc_kv_iter *it, const char *prefix) {
  memset(it, 0, sizeof *it);
  it->prefix = prefix;
  it->prefix_len = strlen(prefix);
}

static inline void wc_kv_iter_free(wc_kv_iter *it) {
  free(it->page);
  free(it->after);
  it->page = it->after = NULL;
  it->done = 1;
}

/** Fetches the next page into it->page; 0 when the listing is over (or failed: see it->status). */
static inline int wc__kv_iter_fetch(wc_kv_iter *it) {
  if (!it->page) {
    /* Room for a typical page up front: a page that does not fit costs a second host call. */
    it->page = (char *)malloc(4096 + 1);
    if (!it->page) {
      it->status = WC_NO_MEMORY;
      return 0;
    }
    it->page_cap = 4096;
  }
  for (;;) {
    int32_t n = wc__kv_list_page(it->prefix, it->prefix_len, it->after, it->after_len, it->page, it->page_cap);
    if (n < 0) {
      it->status = n;
      return 0;
    }
    if (n == 0) return 0;
    if ((size_t)n <= it->page_cap) {
      it->page_len = (size_t)n;
      it->page[n] = 0;
      it->pos = 0;
      return 1;
    }
    char *bigger = (char *)realloc(it->page, (size_t)n + 1);
    if (!bigger) {
      it->status = WC_NO_MEMORY;
      return 0;
    }
    it->page = bigger;
    it->page_cap = (size_t)n;
  }
}

/** The next key (valid until the next call), or NULL at the end or on an error (it->status). */
static inline const char *wc_kv_iter_next(wc_kv_iter *it) {
  if (it->done) return NULL;
  if (it->pos >= it->page_len) {
    if (!wc__kv_iter_fetch(it)) {
      it->done = 1;
      return NULL;
    }
  }
  char *key = it->page + it->pos;
  char *end = memchr(key, '\n', it->page_len - it->pos);
  size_t key_len = end ? (size_t)(end - key) : it->page_len - it->pos;
  key[key_len] = 0;
  it->pos += key_len + 1;
  char *after = (char *)realloc(it->after, key_len + 1);
  if (!after) {
    it->status = WC_NO_MEMORY;
    it->done = 1;
    return NULL;
  }
  memcpy(after, key, key_len + 1);
  it->after = after;
  it->after_len = key_len;
  return key;
}

#ifdef __cplusplus
}
#endif

#endif /* WASMCOMPUTE_H */
