"use client";
// The console's navigation: a sidebar from 1024 px up; below that a top bar whose menu button opens
// the same navigation as a drawer (a modal <dialog>: focus stays inside, Escape or a link closes it).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Logo } from "@/components/ui";
import { NAV_ITEMS } from "./nav-items";
import { SignOutButton } from "./sign-out-button";
import { TenantSwitcher, type SwitcherTenant } from "./tenant-switcher";

interface SidebarProps {
  tenantName: string;
  email: string;
  /** The member's role in the current tenant; null once removed from it. */
  role: string | null;
  /** Every tenant the user belongs to: a switcher when there is more than one (or the current one is gone). */
  tenants: SwitcherTenant[];
}

export function Sidebar({ tenantName, email, role, tenants }: SidebarProps) {
  const pathname = usePathname();
  const drawer = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const d = drawer.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  // A link followed from the drawer closes it.
  useEffect(() => setOpen(false), [pathname]);

  return (
    <>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-slate-800 bg-slate-900 px-4 text-white lg:hidden">
        <button
          type="button"
          aria-label="Open navigation"
          aria-haspopup="dialog"
          aria-expanded={open}
          onClick={() => setOpen(true)}
          className="-ml-1 rounded-md p-2 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white"
        >
          <svg viewBox="0 0 24 24" className="h-6 w-6" aria-hidden fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M4 6h16M4 12h16M4 18h16" />
          </svg>
        </button>
        <Logo className="text-white" />
        <span className="ml-auto truncate font-mono text-xs text-slate-300">{tenantName}</span>
      </header>

      <aside className="hidden w-60 shrink-0 flex-col border-r border-slate-800 bg-slate-900 text-slate-300 lg:flex">
        <NavContent pathname={pathname} tenantName={tenantName} email={email} role={role} tenants={tenants} />
      </aside>

      <dialog
        ref={drawer}
        aria-label="Navigation"
        onClose={() => setOpen(false)}
        onClick={(e) => {
          // A click on the backdrop (the dialog element itself, outside its panel) closes it.
          if (e.target === e.currentTarget) setOpen(false);
        }}
        className="m-0 h-full max-h-none w-72 max-w-[85vw] border-r border-slate-800 bg-slate-900 p-0 text-slate-300 backdrop:bg-slate-950/60 lg:hidden"
      >
        <div className="flex h-full flex-col">
          <div className="flex justify-end px-3 pt-3">
            <button type="button" aria-label="Close navigation" onClick={() => setOpen(false)} className="rounded-md p-2 text-slate-300 hover:bg-slate-800 hover:text-white">
              <svg viewBox="0 0 24 24" className="h-5 w-5" aria-hidden fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </button>
          </div>
          {/* Rendered only while open: a closed drawer adds no second copy of the navigation to the page. */}
          {open && <NavContent pathname={pathname} tenantName={tenantName} email={email} role={role} tenants={tenants} onNavigate={() => setOpen(false)} />}
        </div>
      </dialog>
    </>
  );
}

function NavContent({ pathname, tenantName, email, role, tenants, onNavigate }: SidebarProps & { pathname: string; onNavigate?: () => void }) {
  // Each route is prefetched once, when the pointer or focus comes to its link, and whole (page data
  // included) so that the click needs no request of its own. Next's default instead prefetches every
  // visible link's route tree and an empty loading-boundary answer (our pages have none) and then
  // fetches the page again on the click: two requests per link per page view, neither of use.
  const [wanted, setWanted] = useState<ReadonlySet<string>>(new Set());
  const want = (href: string) => setWanted((hrefs) => (hrefs.has(href) ? hrefs : new Set(hrefs).add(href)));
  return (
    <>
      <div className="px-5 py-5">
        <Logo className="text-white" />
      </div>
      <div className="mx-3 mb-4 rounded-md bg-slate-800/60 px-3 py-2">
        <p className="text-[11px] uppercase tracking-wider text-slate-300">Tenant</p>
        <p className="truncate font-mono text-sm text-slate-100" data-testid="tenant-name">
          {tenantName}
        </p>
        {role ? <p className="text-[11px] text-slate-400" data-testid="tenant-role">{role}</p> : null}
        {tenants.length > 1 || !role ? <TenantSwitcher current={tenantName} tenants={tenants} /> : null}
      </div>
      <nav aria-label="Main" className="flex-1 space-y-0.5 px-3">
        {NAV_ITEMS.map((item) =>
          item.available ? (
            <Link
              key={item.href}
              href={item.href}
              onClick={onNavigate}
              prefetch={wanted.has(item.href)}
              onMouseEnter={() => want(item.href)}
              onFocus={() => want(item.href)}
              onTouchStart={() => want(item.href)}
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
              className="flex cursor-not-allowed items-center justify-between rounded-md px-3 py-2 text-sm text-slate-400"
            >
              <span>{item.label}</span>
              <span className="rounded bg-slate-800 px-1.5 py-0.5 text-[10px] uppercase tracking-wide text-slate-300">soon</span>
            </span>
          ),
        )}
      </nav>
      <div className="border-t border-slate-800 px-5 py-4">
        <p className="mb-2 truncate text-xs text-slate-300" title={email}>
          {email}
        </p>
        <SignOutButton />
      </div>
    </>
  );
}

function isCurrent(pathname: string, href: string): boolean {
  return href === "/dashboard" ? pathname === href : pathname === href || pathname.startsWith(href + "/");
}
