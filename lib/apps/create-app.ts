import { z } from "zod";
import { AppError } from "@/lib/errors";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { AppName } from "@/lib/manifest/manifest-schema";
import { findTemplate } from "@/lib/templates/template-files";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { appHostLabelProblem } from "@/lib/app-host";
import { APP_VIEW_INCLUDE, toAppView, type AppView } from "./app-view";

export const CreateAppInput = z.object({ name: AppName, template: z.string().max(40).optional() });
export type CreateAppInput = z.infer<typeof CreateAppInput>;

export async function createApp({ actor, input }: { actor: Actor; input: unknown }): Promise<AppView> {
  const { name, template } = CreateAppInput.parse(input);
  // The app answers at <name>--<tenant>.<domain>: that must be one valid DNS label.
  const hostProblem = appHostLabelProblem(actor.tenantName, name);
  if (hostProblem) throw new AppError("UNPROCESSABLE", hostProblem, { field: "name" });
  const templateId = template && template !== "empty" ? findTemplate(template).id : null;
  try {
    const app = await db().app.create({ data: { tenantId: actor.tenantId, name, template: templateId }, include: APP_VIEW_INCLUDE });
    await recordAuditEvent({ actor, action: "app.created", target: `app:${name}` });
    return toAppView(actor.tenantName, app);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", `You already have an app named "${name}". Choose another name.`, { field: "name" });
    throw e;
  }
}
