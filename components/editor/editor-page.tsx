"use client";

import dynamic from "next/dynamic";
import { useEffect } from "react";

// Monaco, the compilers and the preview run only in the browser.
const Ide = dynamic(() => import("./ide"), { ssr: false, loading: () => <p className="text-sm text-slate-500">Loading the editor…</p> });

export function EditorPage({ appName }: { appName: string }) {
  // The compiler loads and compiles the app's source while the editor's own chunk (Monaco) loads:
  // the editor's first build finds it done or under way (lib/editor/prewarm-compiler.ts).
  useEffect(() => {
    void import("@/lib/editor/prewarm-compiler").then((m) => m.prewarmCompiler(appName)).catch(() => undefined);
  }, [appName]);
  return <Ide appName={appName} />;
}
