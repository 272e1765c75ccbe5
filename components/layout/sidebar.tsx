"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Logo } from "@/components/ui";
import { NAV_ITEMS } from "./nav-items";
import { SignOutButton } from "./sign-out-button";

export function Sidebar({ tenantName, email }: { tenantName: string; email: string }) {
  const pathname = usePathname();
  return (
    <aside className="flex w-60 shrink-0 flex-col border-r border-slate-800 bg-slate-900 text-slate-300">
      <div className="px-5 py-5">
        <Logo className="text-white" />
      </div>
      <div className="mx-3 mb-4 rounded-md bg-slate-800/60 px-3 py-2">
        <p className="text-[11px] uppercase tracking-wider text-slate-500">Tenant</p>
        <p className="truncate font-mono text-sm text-slate-100" data-testid="tenant-name">
          {tenantName}
        </p>
      </div>
      <nav aria-label="Main" className="flex-1 space-y-0.5 px-3">
        {NAV_ITEMS.map((item) =>
          item.available ? (
            <Link
              key={item.href}
              href={item.href}
              aria-current={isCurrent(pathname, item.href) ? "page" : undefined}
              className={`block rounded-md px-3 py-2 text-sm ${
                isCurrent(pathname, item.href) ? "bg-indigo-600 text-white" : "hover:bg-slate-800 hover:text-white"
              }`}
            >
              {item.label}
            </Link>
          ) : (
            <span
              key={item.href}
              aria-disabled="true"
              title="Not available yet"
              className="flex cursor-not-allowed items-center justify-between rounded-md px-3 py-2 text-sm text-slate-500"
            >
              <span>{item.label}</span>
              <span className="rounded bg-slate-800 px-1.5 py-0.5 text-[10px] uppercase tracking-wide text-slate-400">soon</span>
            </span>
          ),
        )}
      </nav>
      <div className="border-t border-slate-800 px-5 py-4">
        <p className="mb-2 truncate text-xs text-slate-400" title={email}>
          {email}
        </p>
        <SignOutButton />
      </div>
    </aside>
  );
}

function isCurrent(pathname: string, href: string): boolean {
  return href === "/dashboard" ? pathname === href : pathname === href || pathname.startsWith(href + "/");
}
