// The document the IDE's HTML preview runs in (lib/editor/preview-page.ts). The IDE frames it with
// sandbox="allow-scripts" and no allow-same-origin, so it has an opaque origin: no console cookies,
// no access to the console's page. It waits for the page's HTML and a MessagePort from its parent
// and writes the page into itself. Its own CSP (proxy.ts leaves this path alone) lets the tenant's
// inline code run, forbids every network request, and allows framing by the console only.
const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Preview</title></head><body><script>
addEventListener("message", function show(e) {
  if (e.source !== parent || !e.data || e.data.type !== "wasmcompute-preview" || !e.ports[0]) return;
  removeEventListener("message", show);
  window.__wcPort = e.ports[0];
  document.open();
  document.write(e.data.html);
  document.close();
});
parent.postMessage({ type: "wasmcompute-preview-ready" }, "*");
</script></body></html>`;

const PREVIEW_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "font-src data:",
  "media-src data: blob:",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-scripts",
].join("; ");

export function GET() {
  return new Response(SHELL, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PREVIEW_FRAME_CSP,
      "cache-control": "no-store",
    },
  });
}
