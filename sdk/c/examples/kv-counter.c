// A counter and a small key-value API on the C SDK (sdk/c/wasmcompute.h). The same routes exist
// in the Rust and AssemblyScript examples; lib/kv/kv-sdk.test.ts runs all three through a gateway.
//
//   GET /count              atomically adds 1 to "hits", remembers it in "last" (1 h TTL): the new count
//   GET /get/<key>          the value, or 404
//   PUT /set/<key>[?ttl=N]  stores the request body (N seconds to live)
//   GET /del/<key>          "deleted", or 404
//   GET /list/<prefix>      every key with the prefix, one per line (paged through the host)
//   GET /incr/<key>         adds 1 to <key>; 409 when it holds no integer
//   PUT /cas/<key>[?expected=V]  writes the body if the key holds V (no query: if it is absent); 409 if not
//
// A store error (e.g. a quota) answers 500 with "error <status>: <text>".
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmcompute.h"

static void respond(int status, const char *body) {
  printf("Content-Type: text/plain\n");
  if (status != 200) printf("Status: %d\n", status);
  printf("\n%s", body);
}

static int fail(wc_status s) {
  char text[128];
  snprintf(text, sizeof text, "error %d: %s\n", (int)s, wc_status_text(s));
  respond(s == WC_NOT_FOUND ? 404 : s == WC_CONFLICT ? 409 : 500, text);
  return 0;
}

static char *read_body(size_t *len) {
  const char *cl = getenv("CONTENT_LENGTH");
  size_t want = cl ? (size_t)strtoul(cl, NULL, 10) : 0;
  char *body = malloc(want + 1);
  size_t got = 0;
  while (got < want) {
    size_t n = fread(body + got, 1, want - got, stdin);
    if (n == 0) break;
    got += n;
  }
  body[got] = 0;
  *len = got;
  return body;
}

/** The value of `name` in QUERY_STRING (no percent-decoding), or NULL. */
static const char *query(const char *name) {
  const char *q = getenv("QUERY_STRING");
  size_t n = strlen(name);
  for (const char *p = q; p && *p;) {
    if (strncmp(p, name, n) == 0 && p[n] == '=') {
      static char value[256];
      const char *end = strchr(p + n + 1, '&');
      size_t len = end ? (size_t)(end - p - n - 1) : strlen(p + n + 1);
      if (len >= sizeof value) len = sizeof value - 1;
      memcpy(value, p + n + 1, len);
      value[len] = 0;
      return value;
    }
    p = strchr(p, '&');
    if (p) p++;
  }
  return NULL;
}

static int starts(const char *path, const char *prefix, const char **rest) {
  size_t n = strlen(prefix);
  if (strncmp(path, prefix, n) != 0) return 0;
  *rest = path + n;
  return 1;
}

int main(void) {
  const char *path = getenv("PATH_INFO");
  const char *arg;
  wc_status s;
  if (!path || !*path) path = "/";

  if (strcmp(path, "/count") == 0 || strcmp(path, "/") == 0) {
    int64_t hits = 0;
    if ((s = wc_kv_incr("hits", 1, &hits)) != WC_OK) return fail(s);
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, hits);
    if ((s = wc_kv_set_ttl("last", text, strlen(text), 3600)) != WC_OK) return fail(s);
    strcat(text, "\n");
    respond(200, text);
  } else if (starts(path, "/get/", &arg)) {
    char *value;
    size_t len;
    if ((s = wc_kv_get(arg, &value, &len)) != WC_OK) return fail(s);
    printf("Content-Type: application/octet-stream\n\n");
    fwrite(value, 1, len, stdout);
    free(value);
  } else if (starts(path, "/set/", &arg)) {
    size_t len;
    char *body = read_body(&len);
    const char *ttl = query("ttl");
    s = ttl ? wc_kv_set_ttl(arg, body, len, (uint32_t)strtoul(ttl, NULL, 10)) : wc_kv_set(arg, body, len);
    free(body);
    if (s != WC_OK) return fail(s);
    respond(200, "ok\n");
  } else if (starts(path, "/del/", &arg)) {
    if ((s = wc_kv_delete(arg)) != WC_OK) return fail(s);
    respond(200, "deleted\n");
  } else if (starts(path, "/list/", &arg)) {
    wc_kv_iter it;
    wc_kv_iter_init(&it, arg);
    printf("Content-Type: text/plain\n\n");
    for (const char *key; (key = wc_kv_iter_next(&it));) printf("%s\n", key);
    if (it.status != WC_OK) printf("error %d: %s\n", (int)it.status, wc_status_text(it.status));
    wc_kv_iter_free(&it);
  } else if (starts(path, "/incr/", &arg)) {
    int64_t value;
    if ((s = wc_kv_incr(arg, 1, &value)) != WC_OK) return fail(s);
    char text[32];
    snprintf(text, sizeof text, "%" PRId64 "\n", value);
    respond(200, text);
  } else if (starts(path, "/cas/", &arg)) {
    size_t len;
    char *body = read_body(&len);
    const char *expected = query("expected");
    s = wc_kv_cas(arg, expected, expected ? strlen(expected) : 0, body, len);
    free(body);
    if (s != WC_OK) return fail(s);
    respond(200, "written\n");
  } else {
    respond(404, "no such route\n");
  }
  return 0;
}
