// An HTML response shown in the IDE's preview as the browser would show it from the gateway: its
// stylesheets, scripts and images (relative URLs into the app) are answered by the preview itself
// and inlined, and a fetch() shim sends the page's own API calls to the preview over a MessagePort.
// The page runs in a sandboxed frame without allow-same-origin (an opaque origin: no console
// cookies, no parent DOM), loaded from /preview-frame, whose CSP lets inline code run but forbids
// every network request (connect-src 'none'): the MessagePort is its only way out.

/** The app-relative request a URL names, or null when it points outside the app (another origin or mount). */
export function appRequestFor(url: string, appBase: string): { path: string; query: string } | null {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(appBase);
  } catch {
    return null;
  }
  if (target.origin !== base.origin) return null;
  const mount = base.pathname.replace(/\/$/, "");
  if (mount && target.pathname !== mount && !target.pathname.startsWith(`${mount}/`)) return null;
  return { path: target.pathname.slice(mount.length) || "/", query: target.search.replace(/^\?/, "") };
}

/** What the frame asks the preview for, and what it gets back. */
export interface FrameRequest {
  id: number;
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}
export interface FrameResponse {
  id: number;
  status?: number;
  headers?: [string, string][];
  body?: ArrayBuffer;
  error?: string;
}

/**
 * The fetch() the page sees: relative URLs resolve against the page's address on the gateway, the
 * request goes to the preview over `window.__wcPort`, and the answer comes back as a Response.
 */
export function fetchShimSource(pageUrl: string): string {
  return `(function () {
  var port = window.__wcPort, next = 1, pending = new Map(), base = ${JSON.stringify(pageUrl)};
  if (!port) return;
  port.onmessage = function (e) {
    var m = e.data, p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) return p.reject(new TypeError(m.error));
    var empty = m.status === 204 || m.status === 205 || m.status === 304;
    p.resolve(new Response(empty ? null : m.body, { status: m.status, headers: m.headers }));
  };
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, base).href;
    var request = new Request(url, init || (typeof input === "object" && !(input instanceof URL) ? input : undefined));
    return request.text().then(function (body) {
      return new Promise(function (resolve, reject) {
        var id = next++;
        pending.set(id, { resolve: resolve, reject: reject });
        var headers = [];
        request.headers.forEach(function (v, k) { headers.push([k, v]); });
        port.postMessage({ id: id, method: request.method, url: url, headers: headers, body: body });
      });
    });
  };
})();`;
}

export interface Asset {
  status: number;
  contentType: string;
  body: Uint8Array;
}

const decoder = new TextDecoder();

function dataUrl(asset: Asset): string {
  let binary = "";
  for (const byte of asset.body) binary += String.fromCharCode(byte);
  return `data:${asset.contentType || "application/octet-stream"};base64,${btoa(binary)}`;
}

/**
 * The page's HTML, ready for the frame: stylesheets and scripts of the app inlined, images as data:
 * URLs, and the fetch shim first. `fetchAsset` answers an app URL (GET) from the preview; assets
 * outside the app stay as they are (the frame's CSP blocks them, as nothing may leave the preview).
 * Browser only: it parses with DOMParser (inert: nothing runs or loads while it is parsed).
 */
export async function buildPreviewPage({ html, pageUrl, appBase, fetchAsset }: { html: string; pageUrl: string; appBase: string; fetchAsset(path: string, query: string): Promise<Asset> }): Promise<string> {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const load = async (ref: string | null): Promise<Asset | null> => {
    if (!ref) return null;
    let url: string;
    try {
      url = new URL(ref, pageUrl).href;
    } catch {
      return null;
    }
    const target = appRequestFor(url, appBase);
    if (!target) return null;
    const asset = await fetchAsset(target.path, target.query);
    return asset.status >= 200 && asset.status < 300 ? asset : null;
  };

  for (const link of [...doc.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"][href]')]) {
    const asset = await load(link.getAttribute("href"));
    if (!asset) continue;
    const style = doc.createElement("style");
    style.textContent = decoder.decode(asset.body);
    if (link.media) style.media = link.media;
    link.replaceWith(style);
  }
  for (const script of [...doc.querySelectorAll<HTMLScriptElement>("script[src]")]) {
    const asset = await load(script.getAttribute("src"));
    if (!asset) continue;
    const inline = doc.createElement("script");
    for (const attr of [...script.attributes]) if (attr.name !== "src" && attr.name !== "defer" && attr.name !== "async") inline.setAttribute(attr.name, attr.value);
    // A classic external script at the end of <body> runs after parsing; inline it in the same place.
    inline.textContent = decoder.decode(asset.body);
    script.replaceWith(inline);
  }
  for (const img of [...doc.querySelectorAll<HTMLImageElement>("img[src]")]) {
    const asset = await load(img.getAttribute("src"));
    if (asset) img.setAttribute("src", dataUrl(asset));
  }

  const shim = doc.createElement("script");
  shim.textContent = fetchShimSource(pageUrl);
  doc.head.prepend(shim);
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}
