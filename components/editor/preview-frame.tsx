"use client";
// An HTML response of the preview, shown as a working page: lib/editor/preview-page.ts inlines its
// app assets and shims fetch(); this frame (app/preview-frame, sandbox="allow-scripts" without
// allow-same-origin: an opaque origin, away from the console's cookies and DOM) gets the page and a
// MessagePort, and every request the page makes comes back here to be answered by the preview.
import { useEffect, useRef, useState } from "react";
import { appRequestFor, buildPreviewPage, type FrameRequest, type FrameResponse } from "@/lib/editor/preview-page";
import type { PreviewRequestInput } from "@/lib/editor/preview-protocol";
import { contentTypeOf, type ShownResponse } from "./response-view";

type Execute = (input: PreviewRequestInput) => Promise<ShownResponse | null>;

export function PreviewFrame({ html, pageUrl, appBase, execute, testId }: { html: string; pageUrl: string; appBase: string; execute: Execute; testId: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  // The newest build answers the page's requests, without reloading the page on every build.
  const latest = useRef(execute);
  useEffect(() => {
    latest.current = execute;
  }, [execute]);
  const [page, setPage] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void buildPreviewPage({
      html,
      pageUrl,
      appBase,
      fetchAsset: async (path, query) => {
        const r = await latest.current({ method: "GET", path, query, headers: [], body: "" });
        return r && !r.error ? { status: r.status, contentType: contentTypeOf(r.headers), body: r.body } : { status: 502, contentType: "", body: new Uint8Array(0) };
      },
    }).then((built) => {
      if (!cancelled) setPage(built);
    });
    return () => {
      cancelled = true;
    };
  }, [html, pageUrl, appBase]);

  useEffect(() => {
    if (!page) return;
    const onMessage = (event: MessageEvent) => {
      const target = frame.current?.contentWindow;
      if (!target || event.source !== target || (event.data as { type?: string } | null)?.type !== "wasmcompute-preview-ready") return;
      const channel = new MessageChannel();
      channel.port1.onmessage = async (m: MessageEvent<FrameRequest>) => {
        const req = m.data;
        const reply = (answer: FrameResponse, transfer: Transferable[] = []) => channel.port1.postMessage(answer, transfer);
        const inApp = appRequestFor(req.url, appBase);
        if (!inApp) return reply({ id: req.id, error: `The preview answers the app's own URLs only (${appBase}…); ${req.url} is outside it.` });
        const r = await latest.current({ method: req.method, path: inApp.path, query: inApp.query, headers: req.headers, body: req.body });
        if (!r) return reply({ id: req.id, error: "The preview is not ready: fix the build first." });
        if (r.status < 200 || r.status > 599) return reply({ id: req.id, error: `${r.error?.kind ?? "preview"}: ${r.error?.message ?? `status ${r.status}`}` });
        const body = r.body.slice().buffer;
        reply({ id: req.id, status: r.status, headers: r.headers, body }, [body]);
      };
      target.postMessage({ type: "wasmcompute-preview", html: page }, "*", [channel.port2]);
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [page, appBase]);

  if (!page) return <p className="text-xs text-slate-600">Loading the page…</p>;
  return <iframe key={page} ref={frame} title="HTML response" sandbox="allow-scripts" src="/preview-frame" className="h-80 w-full rounded border border-slate-200 bg-white" data-testid={testId} />;
}
