/*
 * wasmcompute_http.h — outbound HTTP for C guests (header-only; docs/abi.md "Outbound HTTP").
 *
 * The guest may call only the origins its wasmcompute.yaml lists in allowed_hosts. Each call
 * blocks until the answer (or the request's deadline); other apps are not held up.
 *
 *   wc_http_response res;
 *   if (wc_http_get("https://api.example.com/v1/items", &res) == WC_HTTP_OK) {
 *     printf("%d %.*s\n", res.status, (int)res.body_len, res.body);
 *     wc_http_response_free(&res);
 *   } else {
 *     printf("failed: %s\n", res.error);   // e.g. "... is not in this app's allowed_hosts: ..."
 *     wc_http_response_free(&res);
 *   }
 *
 * Build like wasmcompute.h: clang --target=wasm32-wasi --sysroot=/usr -O2 -s -I sdk/c -o app.wasm app.c
 */
#ifndef WASMCOMPUTE_HTTP_H
#define WASMCOMPUTE_HTTP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WC_HTTP_OK 0
/** The URL's scheme, host and port are not in allowed_hosts. */
#define WC_HTTP_NOT_ALLOWED (-1)
/** A loopback, private, link-local or cloud-metadata address (also after a redirect). */
#define WC_HTTP_REFUSED_ADDRESS (-2)
/** Not an http(s) URL, a bad method or header. */
#define WC_HTTP_INVALID (-3)
/** Past the request's outbound caps (calls, bytes). */
#define WC_HTTP_LIMIT (-4)
/** No answer inside the request's deadline. */
#define WC_HTTP_TIMEOUT (-5)
/** The connection or the upstream failed. */
#define WC_HTTP_FAILED (-6)
/** Outbound HTTP is not available in this run. */
#define WC_HTTP_UNAVAILABLE (-7)
/** The SDK could not allocate memory. */
#define WC_HTTP_NO_MEMORY (-100)

#define WC_HTTP__IMPORT(name) __attribute__((import_module("wasmcompute"), import_name(#name)))
WC_HTTP__IMPORT(http_request) int32_t wc__http_request(const char *method, size_t method_len, const char *url, size_t url_len, const char *headers, size_t headers_len, const void *body, size_t body_len);
WC_HTTP__IMPORT(http_status) int32_t wc__http_status(int32_t handle);
WC_HTTP__IMPORT(http_headers) int32_t wc__http_headers(int32_t handle, void *buf, size_t buf_len);
WC_HTTP__IMPORT(http_body) int32_t wc__http_body(int32_t handle, void *buf, size_t buf_len);
WC_HTTP__IMPORT(http_close) int32_t wc__http_close(int32_t handle);
WC_HTTP__IMPORT(http_error) int32_t wc__http_error(void *buf, size_t buf_len);
#undef WC_HTTP__IMPORT

typedef struct {
  /** The response's status code (0 when the call failed). */
  int status;
  /** "name:value\n" lines, names lowercase; NUL-terminated. */
  char *headers;
  /** The body (NUL-terminated for convenience; body_len excludes the NUL). */
  char *body;
  size_t body_len;
  /** Why the call failed, in words (NUL-terminated; "" on success). */
  char *error;
} wc_http_response;

/** Copies a length-returning host result out with a buffer of the right size; NULL if out of memory. */
static inline char *wc_http__fetch_text(int32_t handle, int32_t (*get)(int32_t, void *, size_t), size_t *len) {
  int32_t n = get(handle, NULL, 0);
  if (n < 0) n = 0;
  char *buf = (char *)malloc((size_t)n + 1);
  if (!buf) return NULL;
  if (n > 0) get(handle, buf, (size_t)n);
  buf[n] = '\0';
  if (len) *len = (size_t)n;
  return buf;
}

static inline char *wc_http__last_error(void) {
  int32_t n = wc__http_error(NULL, 0);
  char *buf = (char *)malloc((size_t)(n > 0 ? n : 0) + 1);
  if (!buf) return NULL;
  if (n > 0) wc__http_error(buf, (size_t)n);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

/**
 * Sends `method url` with `headers` ("name:value\n" lines, or NULL) and `body` (or NULL). Returns
 * WC_HTTP_OK and fills `res`, or a negative code with `res->error` saying why. Always call
 * wc_http_response_free(res) afterwards.
 */
static inline int32_t wc_http_request(const char *method, const char *url, const char *headers, const void *body, size_t body_len, wc_http_response *res) {
  memset(res, 0, sizeof *res);
  int32_t handle = wc__http_request(method, strlen(method), url, strlen(url), headers ? headers : "", headers ? strlen(headers) : 0, body ? body : "", body ? body_len : 0);
  if (handle <= 0) {
    res->error = wc_http__last_error();
    return handle < 0 ? handle : WC_HTTP_FAILED;
  }
  res->status = wc__http_status(handle);
  res->headers = wc_http__fetch_text(handle, wc__http_headers, NULL);
  res->body = wc_http__fetch_text(handle, wc__http_body, &res->body_len);
  res->error = (char *)calloc(1, 1);
  wc__http_close(handle);
  if (!res->headers || !res->body || !res->error) return WC_HTTP_NO_MEMORY;
  return WC_HTTP_OK;
}

static inline int32_t wc_http_get(const char *url, wc_http_response *res) { return wc_http_request("GET", url, NULL, NULL, 0, res); }

static inline void wc_http_response_free(wc_http_response *res) {
  free(res->headers);
  free(res->body);
  free(res->error);
  memset(res, 0, sizeof *res);
}

#ifdef __cplusplus
}
#endif

#endif
