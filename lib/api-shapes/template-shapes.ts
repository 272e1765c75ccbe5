// App templates, as the REST API answers them (docs/api.md); the catalog is lib/templates.
import { z } from "zod";

export const TemplateLanguage = z.enum(["wat", "c", "rust", "assemblyscript", "javascript", "typescript", "none"]);
export type TemplateLanguage = z.infer<typeof TemplateLanguage>;

export const TemplateView = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  language: TemplateLanguage,
});
export type TemplateView = z.infer<typeof TemplateView>;

export const TemplatesResponse = z.object({ templates: z.array(TemplateView) });
/** GET /templates/{id}?app=<name>: the files of a new local app folder. */
export const TemplateFilesResponse = z.object({
  template: TemplateView,
  files: z.array(z.object({ path: z.string(), contentBase64: z.string() })),
});
