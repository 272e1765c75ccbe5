import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { findAppOrThrow } from "@/lib/apps/find-app";
import { requireSessionUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";

/** Every page of an app: an app the tenant does not have (or another tenant's) is a 404 page (../not-found.tsx). */
export default async function AppLayout({ children, params }: { children: ReactNode; params: Promise<{ app: string }> }) {
  const user = await requireSessionUser();
  const { app } = await params;
  await findAppOrThrow({ actor: user, name: app }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  return children;
}
