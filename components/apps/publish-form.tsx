"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { ApiError, formLevelErrors } from "@/lib/client/api";
import type { VersionView } from "@/lib/client/types";
import { VERSION_KIND_LABEL } from "@/lib/api-shapes/version-shapes";

export function PublishForm({ app, onPublished }: { app: string; onPublished: () => Promise<unknown> }) {
  const [version, setVersion] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const publish = useMutation({
    mutationFn: async () => {
      const input = new FormData(formRef.current!);
      const body = new FormData();
      body.set("version", version);
      const module = input.get("module");
      if (module instanceof File && module.size > 0) body.set("module", module);
      const manifest = input.get("manifest");
      if (manifest instanceof File && manifest.size > 0) body.set("manifest", manifest);
      for (const file of input.getAll("files")) {
        // A chosen folder keeps its relative paths (webkitRelativePath); single files keep their name.
        // An input with nothing chosen sends one nameless empty entry; an empty file with a name is a file.
        if (file instanceof File && (file.name !== "" || file.size > 0)) body.append("files", file, file.webkitRelativePath || file.name);
      }
      // The number in the URL too: a taken one is refused (409) before the upload is read.
      const res = await fetch(`/api/v1/apps/${app}/versions?version=${encodeURIComponent(version)}`, { method: "POST", body });
      if (!res.ok) throw await ApiError.from(res, "Publish failed");
      return ((await res.json()) as { version: VersionView }).version;
    },
    onSuccess: () => {
      formRef.current?.reset();
      setVersion("");
      return onPublished();
    },
  });

  const fieldError = (name: string) => (publish.error instanceof ApiError ? publish.error.fieldError(name) : undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    publish.mutate();
  }

  return (
    <section aria-labelledby="publish-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="publish-heading" className="text-sm font-semibold text-slate-700">Publish a version</h2>
      <p className="mt-1 text-xs text-slate-500">
        Upload a WASI module built with any toolchain (C, Rust, Go, AssemblyScript, Zig, WAT…) or a WASI 0.2 component exporting{" "}
        <code className="font-mono">wasi:http/incoming-handler</code>, optionally its wasmcompute.yaml and static files. Published versions are immutable.
      </p>
      <form ref={formRef} onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-2" noValidate>
        <Field id="publish-version" label="Version" placeholder="0.0.1" value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError("version")} />
        <FileInput id="publish-module" name="module" label="Module (.wasm or .wat)" accept=".wasm,.wat,application/wasm" error={fieldError("module")} />
        <FileInput id="publish-manifest" name="manifest" label="Manifest (wasmcompute.yaml, optional)" accept=".yaml,.yml" error={fieldError("manifest")} />
        <FileInput id="publish-files" name="files" label="Static files (optional)" multiple hint="Each kept at the root of /app under its own name." error={fieldError("files")} />
        <FileInput
          id="publish-folder"
          name="files"
          label="Static folder (optional)"
          directory
          hint={
            <>
              Keeps the folder&apos;s name: choosing <code className="font-mono">static</code> publishes <code className="font-mono">static/index.html</code>, which{" "}
              <code className="font-mono">static: [{"{ path: /assets, dir: static }"}]</code> serves at <code className="font-mono">/assets/</code>.
            </>
          }
        />
        <div className="sm:col-span-2">
          {formLevelErrors(publish.error, ["version", "module", "manifest", "files"]).map((message) => (
            <Alert key={message}>{message}</Alert>
          ))}
          {publish.isSuccess ? (
            <Alert tone="info">
              Published {publish.data.version} · {VERSION_KIND_LABEL[publish.data.kind]} · sha256{" "}
              <span className="font-mono">{publish.data.component?.sourceSha256 ?? publish.data.moduleSha256}</span>
            </Alert>
          ) : null}
        </div>
        <div>
          <Button type="submit" disabled={publish.isPending}>
            {publish.isPending ? "Publishing…" : "Publish"}
          </Button>
        </div>
      </form>
    </section>
  );
}

function FileInput({
  id,
  label,
  hint,
  error,
  directory,
  ...input
}: {
  id: string;
  label: string;
  /** This field's problem, in words, shown under it. */
  error?: string;
  name: string;
  accept?: string;
  multiple?: boolean;
  hint?: ReactNode;
  /** A folder picker: its files come with their paths inside it (webkitRelativePath). */
  directory?: boolean;
}) {
  // React has no typed prop for webkitdirectory; it passes the lowercase attribute through as is.
  const folder = directory ? ({ webkitdirectory: "", multiple: true } as Record<string, unknown>) : {};
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="file"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm"
        {...input}
        {...folder}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
