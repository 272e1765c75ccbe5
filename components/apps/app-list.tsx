"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert, Button, Field } from "@/components/ui";
import { useRole } from "@/components/layout/role-context";
import { api, ApiError, formLevelErrors } from "@/lib/client/api";
import type { AppView } from "@/lib/client/types";

interface TemplateOption {
  id: string;
  title: string;
  description: string;
  language: string;
}

/** The editor compiles these languages in the browser; the others are built on your machine. */
const BUILT_IN_BROWSER = new Set(["assemblyscript", "wat"]);

function buildNote(language: string): string {
  if (BUILT_IN_BROWSER.has(language)) return " The editor compiles it in the browser.";
  // The editor does not handle JavaScript apps yet (its preview and Publish would leave out _worker.js).
  if (language === "javascript" || language === "typescript") return " Run by the QuickJS engine (docs/javascript.md): bundle, publish and deploy with the CLI; the editor does not build or preview JavaScript yet.";
  if (language === "none") return " Nothing is built in the browser: upload a module from any WASI toolchain in the editor, or publish with the CLI (docs/cli.md).";
  return " Not compiled in the browser: the editor shows the source and previews the prebuilt app.wasm; build and publish with the CLI (docs/cli.md).";
}

export function AppList({ templates }: { templates: TemplateOption[] }) {
  const mayCreate = useRole().can("deploy");
  const router = useRouter();
  const queryClient = useQueryClient();
  const apps = useQuery({ queryKey: ["apps"], queryFn: () => api<{ apps: AppView[] }>("/apps").then((r) => r.apps) });
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("hello-wat");
  const create = useMutation({
    mutationFn: () => api<{ app: AppView }>("/apps", { method: "POST", json: { name, template } }),
    onSuccess: ({ app }) => {
      void queryClient.invalidateQueries({ queryKey: ["apps"] });
      router.push(`/dashboard/apps/${app.name}`);
    },
  });
  const error = create.error as ApiError | null;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <div className="max-w-5xl space-y-8">
      <header className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold">Apps</h1>
          <p className="mt-1 text-sm text-slate-500">Each app is a WebAssembly function with immutable versions and a live deployment.</p>
        </div>
      </header>

      {mayCreate ? (<section aria-labelledby="new-app" className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 id="new-app" className="text-sm font-semibold text-slate-700">Create an app</h2>
        <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate>
          <Field id="app-name" label="App name" value={name} onChange={(e) => setName(e.target.value)} placeholder="hello" error={error?.fieldError("name")} />
          <div className="space-y-1">
            <label htmlFor="app-template" className="block text-sm font-medium text-slate-700">
              Template
            </label>
            <select id="app-template" value={template} onChange={(e) => setTemplate(e.target.value)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <optgroup label="Built in the browser editor">
                {templates.filter((t) => BUILT_IN_BROWSER.has(t.language)).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Built on your machine (CLI)">
                {templates.filter((t) => !BUILT_IN_BROWSER.has(t.language)).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.title}
                  </option>
                ))}
              </optgroup>
            </select>
            <p className="text-xs text-slate-600" data-testid="template-description">
              {templates.find((t) => t.id === template)?.description}
              {buildNote(templates.find((t) => t.id === template)?.language ?? "")}
            </p>
          </div>
          <Button type="submit" className="sm:mt-6" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create app"}
          </Button>
        </form>
        {formLevelErrors(error, ["name"]).map((message) => (
          <div key={message} className="mt-3">
            <Alert>{message}</Alert>
          </div>
        ))}
      </section>) : null}

      <section aria-labelledby="your-apps">
        <h2 id="your-apps" className="sr-only">Your apps</h2>
        {apps.isPending ? (
          <p className="text-sm text-slate-500">Loading apps…</p>
        ) : apps.isError ? (
          <Alert>{apps.error.message}</Alert>
        ) : apps.data.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-500">No apps yet. Create one above.</div>
        ) : (
          <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">App</th>
                <th className="px-4 py-3">Live version</th>
                <th className="px-4 py-3">Gateway URL</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {apps.data.map((app) => (
                <tr key={app.name}>
                  <td className="px-4 py-3 font-medium">
                    <Link href={`/dashboard/apps/${app.name}`} className="text-indigo-600 hover:text-indigo-500">
                      {app.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3 font-mono">{app.live?.version ?? <span className="text-slate-500">not deployed</span>}</td>
                  <td className="px-4 py-3 font-mono text-xs text-slate-600">{app.gatewayUrl}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
