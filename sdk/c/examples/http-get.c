// Outbound HTTP with sdk/c/wasmcompute_http.h: GETs the URL given as the query string
// (e.g. /?https://api.example.com/health) and answers its status and body, or why it failed.
#include <stdio.h>
#include <stdlib.h>
#include "wasmcompute_http.h"

int main(void) {
  const char *url = getenv("QUERY_STRING");
  wc_http_response res;
  int32_t rc = wc_http_get(url ? url : "", &res);
  if (rc == WC_HTTP_OK) {
    printf("Content-Type: text/plain\n\nupstream said %d: %.*s", res.status, (int)res.body_len, res.body);
  } else {
    printf("Status: 502\nContent-Type: text/plain\n\ncall failed (%d): %s\n", (int)rc, res.error ? res.error : "");
  }
  wc_http_response_free(&res);
  return 0;
}
