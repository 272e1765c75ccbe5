"use client";
// The signed-in member's role in the current tenant, for pages to hide or disable what the role
// cannot do (lib/auth/roles.ts). Only a courtesy: the server refuses it anyway.
import { createContext, useContext, type ReactNode } from "react";
import { roleAllows, type AccessScope, type Role } from "@/lib/auth/roles";

interface RoleContextValue {
  role: Role;
  tenantName: string;
}

const RoleContext = createContext<RoleContextValue | null>(null);

export function RoleProvider({ role, tenantName, children }: RoleContextValue & { children: ReactNode }) {
  return <RoleContext.Provider value={{ role, tenantName }}>{children}</RoleContext.Provider>;
}

/** The member's role and whether it has a scope; outside the dashboard (no provider) every check passes. */
export function useRole(): { role: Role | null; tenantName: string; can: (scope: AccessScope) => boolean } {
  const value = useContext(RoleContext);
  return { role: value?.role ?? null, tenantName: value?.tenantName ?? "", can: (scope) => (value ? roleAllows(value.role, scope) : true) };
}

/** Says, where an action is hidden, which role it needs. */
export function RoleNotice({ needs, children }: { needs: AccessScope; children: ReactNode }) {
  const { role } = useRole();
  return (
    <p role="note" className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600">
      {children} Your role is <strong>{role}</strong>; this needs the {needs} scope (ask an owner of the tenant).
    </p>
  );
}
