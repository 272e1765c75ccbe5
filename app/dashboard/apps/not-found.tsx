import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "App not found" };

/** An app address that names no app of this tenant ([app]/layout.tsx). */
export default function AppNotFound() {
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold">App not found</h1>
      <p className="text-sm text-slate-600">
        No app of your team has this name. It may have been deleted or renamed, or the link has a typo.
      </p>
      <Link href="/dashboard/apps" className="inline-block text-sm font-medium text-indigo-600 hover:text-indigo-500">
        Back to your apps
      </Link>
    </div>
  );
}
