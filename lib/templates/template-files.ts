// A listed template's files as bytes, for Create app's checks and GET /templates/{id} (which the
// CLI's `wasmcompute new` writes into a folder). Node-only: files that live in this repository
// are read from disk. The catalog itself is templates.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { LISTED_TEMPLATES, withAppName, type Template } from "./templates";

// The console runs from the repository root (npm start's cwd); bundled code has no import.meta.dirname.
const ROOT = process.cwd();

/** A template Create app and the API offer, or NOT_FOUND naming the ones there are. */
export function findTemplate(id: string): Template {
  const template = LISTED_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new AppError("NOT_FOUND", `Template "${id}" not found. Choose one of: ${LISTED_TEMPLATES.map((t) => t.id).join(", ")}.`, { field: "template" });
  return template;
}

/** The template's files for a new app named `appName`, with the manifest naming the app. */
export function templateFiles(id: string, appName: string): { path: string; data: Uint8Array }[] {
  return Object.entries(findTemplate(id).files).map(([file, source]) => {
    if ("text" in source) {
      const text = file === "wasmcompute.yaml" ? withAppName(source.text, appName) : source.text;
      return { path: file, data: new TextEncoder().encode(text) };
    }
    return { path: file, data: new Uint8Array(readFileSync(path.join(ROOT, source.from))) };
  });
}
