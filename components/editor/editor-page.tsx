"use client";

import dynamic from "next/dynamic";

// Monaco, the compilers and the preview run only in the browser.
const Ide = dynamic(() => import("./ide"), { ssr: false, loading: () => <p className="text-sm text-slate-500">Loading the editor…</p> });

export function EditorPage({ appName }: { appName: string }) {
  return <Ide appName={appName} />;
}
