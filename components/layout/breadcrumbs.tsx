// The trail above a page's heading, the same on every page below a sidebar section: the section,
// then the app (when there is one). The page itself is the <h1> that follows.
import Link from "next/link";

export interface Crumb {
  label: string;
  href: string;
}

/** "Apps / hello" for a page of app "hello". */
export const appCrumbs = (app: string): Crumb[] => [
  { label: "Apps", href: "/dashboard/apps" },
  { label: app, href: `/dashboard/apps/${encodeURIComponent(app)}` },
];

export function Breadcrumbs({ trail, className = "text-sm" }: { trail: Crumb[]; className?: string }) {
  return (
    <nav aria-label="Breadcrumb" className={className}>
      <ol className="flex flex-wrap items-center gap-x-1 text-slate-600">
        {trail.map((crumb) => (
          <li key={crumb.href} className="flex items-center gap-x-1">
            <Link href={crumb.href} className="hover:text-slate-900 hover:underline">
              {crumb.label}
            </Link>
            <span aria-hidden>/</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
