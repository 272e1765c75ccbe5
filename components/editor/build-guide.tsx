"use client";
// Says plainly how the draft's module is built when the browser does not build it (C, Rust, or
// nothing to build yet): the exact commands, and what the preview runs meanwhile.
import type { BuildGuide } from "@/lib/editor/starter-files";

export function BuildGuideNote({ guide, hasModule }: { guide: BuildGuide; hasModule: boolean }) {
  return (
    <section aria-label="How this app is built" data-testid="build-guide" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-950">
      {guide.language ? (
        <p>
          <strong>{guide.source}</strong> is {guide.language}: it is <strong>not built in the browser</strong>.{" "}
          {hasModule ? "The preview and Publish use the prebuilt app.wasm beside it. " : ""}
          Build it on your machine with the CLI (docs/cli.md), in a folder with {guide.source} and this wasmcompute.yaml:
        </p>
      ) : (
        <p>
          This app has <strong>no source the browser can build</strong>. Upload a prebuilt .wasm (any WASI toolchain), pick an AssemblyScript or WebAssembly text
          template under <em>New from template…</em>, or publish from your machine with the CLI, in a folder with your app.wasm and this wasmcompute.yaml:
        </p>
      )}
      <pre className="mt-1 overflow-x-auto rounded bg-white px-2 py-1 font-mono text-[11px] text-slate-900" data-testid="build-commands">
        {guide.commands.join("\n")}
      </pre>
    </section>
  );
}
