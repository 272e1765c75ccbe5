"use client";
// The Team page: members with their roles (owners change roles and remove members), the invite
// form (owners and admins; the one-time link is shown once, with a copy button), pending
// invitations with revoke, and leaving the tenant. What the role cannot do is not offered; the
// server refuses it anyway.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { DataTable, MessageRow } from "@/components/data-table";
import { useRole } from "@/components/layout/role-context";
import { Alert, Button, Field } from "@/components/ui";
import { ROLES, ROLE_RIGHTS, roleAllows, type Role } from "@/lib/auth/roles";
import { api, ApiError, formLevelErrors } from "@/lib/client/api";
import type { CreatedInvitationResponse, InvitationView, MemberView } from "@/lib/client/types";

const when = (iso: string) => new Date(iso).toLocaleString();

export function TeamManager() {
  const { role, tenantName, can } = useRole();
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: ["members"], queryFn: () => api<{ members: MemberView[] }>("/members").then((r) => r.members) });
  const invitations = useQuery({
    queryKey: ["invitations"],
    queryFn: () => api<{ invitations: InvitationView[] }>("/invitations").then((r) => r.invitations),
    enabled: can("admin"),
  });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ["members"] }), queryClient.invalidateQueries({ queryKey: ["invitations"] })]);

  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => api(`/members/${userId}`, { method: "PUT", json: { role } }),
    onSuccess: refresh,
  });
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const remove = useMutation({
    mutationFn: (userId: string) => api(`/members/${userId}`, { method: "DELETE" }),
    onSuccess: async () => {
      await refresh();
      setRemoving(null);
    },
  });
  const [leaving, setLeaving] = useState(false);
  const leave = useMutation({
    mutationFn: () => api("/members/leave", { method: "POST", json: { tenant: tenantName } }),
    onSuccess: () => window.location.assign("/dashboard"),
  });
  const [revoking, setRevoking] = useState<InvitationView | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/invitations/${id}`, { method: "DELETE" }),
    onSuccess: async () => {
      await refresh();
      setRevoking(null);
    },
  });

  const pending = (invitations.data ?? []).filter((i) => i.status === "pending");
  const isOwner = role !== null && roleAllows(role, "owner");
  const owners = (members.data ?? []).filter((m) => m.role === "owner").length;

  return (
    <div className="max-w-4xl space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Team</h1>
        <p className="mt-1 text-sm text-slate-500">
          Members of <span className="font-mono">{tenantName}</span> and what each may do. You are {role === "admin" || role === "owner" ? "an" : "a"} <strong>{role}</strong>.
        </p>
      </header>

      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-sm font-semibold text-slate-700">Members</h2>
        {members.error ? <Alert>{(members.error as Error).message}</Alert> : null}
        {changeRole.error ? <Alert>{(changeRole.error as Error).message}</Alert> : null}
        {/* Narrow screens scroll the table, not the page. */}
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <DataTable aria-label="Members" columns={["Email", "Role", "Joined", { header: "Actions", className: "px-4 py-3 text-right" }]}>
            {members.isPending ? (
              <MessageRow span={4}>Loading…</MessageRow>
            ) : (
              (members.data ?? []).map((m) => (
                <tr key={m.userId} data-testid={`member-${m.email}`}>
                  <td className="px-4 py-3">
                    {m.email} {m.you ? <span className="ml-1 rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-700">you</span> : null}
                  </td>
                  <td className="px-4 py-3">
                    {isOwner ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      <span>{m.role}</span>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-500">{when(m.joinedAt)}</td>
                  <td className="whitespace-nowrap px-4 py-3 text-right">
                    {m.you && m.role === "owner" && owners === 1 ? (
                      <span className="inline-block max-w-[14rem] whitespace-normal text-left text-xs text-slate-500">Last owner: make another member an owner to leave</span>
                    ) : m.you ? (
                      <button type="button" className="text-red-700 hover:text-red-600" onClick={() => setLeaving(true)}>Leave</button>
                    ) : isOwner ? (
                      <button type="button" className="text-red-700 hover:text-red-600" aria-label={`Remove ${m.email}`} onClick={() => setRemoving(m)}>Remove</button>
                    ) : null}
                  </td>
                </tr>
              ))
            )}
          </DataTable>
        </div>
      </section>

      {can("admin") ? (
        <>
          <InviteForm onInvited={refresh} />
          <section aria-labelledby="pending-heading" className="space-y-3">
            <h2 id="pending-heading" className="text-sm font-semibold text-slate-700">Pending invitations</h2>
            {invitations.error ? <Alert>{(invitations.error as Error).message}</Alert> : null}
            {pending.length === 0 ? (
              <p className="text-sm text-slate-500">No pending invitations.</p>
            ) : (
              <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm" aria-label="Pending invitations">
                {pending.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center gap-3 px-4 py-3">
                    <span className="font-medium">{i.email}</span>
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs">{i.role}</span>
                    <span className="text-xs text-slate-500">by {i.createdBy}, expires {when(i.expiresAt)}</span>
                    <button type="button" className="ml-auto text-red-700 hover:text-red-600" aria-label={`Revoke invitation for ${i.email}`} onClick={() => setRevoking(i)}>
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : (
        <p role="note" className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600">
          Owners and admins invite new members; owners change roles and remove members.
        </p>
      )}

      <section aria-labelledby="roles-heading" className="space-y-2">
        <h2 id="roles-heading" className="text-sm font-semibold text-slate-700">Roles</h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-[8rem_1fr]">
          {ROLES.map((r) => (
            <div key={r} className="contents">
              <dt className="font-medium">{r}</dt>
              <dd className="text-slate-600">{ROLE_RIGHTS[r].can}</dd>
            </div>
          ))}
        </dl>
      </section>

      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.email}?`}
          message={<p>They lose access to {tenantName} at once: their console sessions and the API tokens they made stop working here.</p>}
          confirmLabel="Remove member"
          busy={remove.isPending}
          error={remove.error ? (remove.error as Error).message : undefined}
          onConfirm={() => remove.mutate(removing.userId)}
          onCancel={() => {
            remove.reset();
            setRemoving(null);
          }}
        />
      ) : null}
      {leaving ? (
        <ConfirmDialog
          title={`Leave ${tenantName}?`}
          message={<p>You lose access to its apps at once; an owner can invite you again.</p>}
          confirmLabel="Leave tenant"
          requireText={tenantName}
          requireTextLabel="Type the tenant's name to confirm"
          busy={leave.isPending}
          error={leave.error ? (leave.error as Error).message : undefined}
          onConfirm={() => leave.mutate()}
          onCancel={() => {
            leave.reset();
            setLeaving(false);
          }}
        />
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke the invitation for ${revoking.email}?`}
          message={<p>Its link stops working.</p>}
          confirmLabel="Revoke invitation"
          busy={revoke.isPending}
          error={revoke.error ? (revoke.error as Error).message : undefined}
          onConfirm={() => revoke.mutate(revoking.id)}
          onCancel={() => {
            revoke.reset();
            setRevoking(null);
          }}
        />
      ) : null}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: () => Promise<unknown> }) {
  const { can } = useRole();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const invite = useMutation({
    mutationFn: () => api<CreatedInvitationResponse>("/invitations", { method: "POST", json: { email, role } }),
    onSuccess: async () => {
      setEmail("");
      await onInvited();
    },
  });
  const error = invite.error instanceof ApiError ? invite.error : null;
  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate();
  }
  return (
    <section aria-labelledby="invite-heading" className="rounded-xl border border-slate-200 bg-white p-6">
      <h2 id="invite-heading" className="text-sm font-semibold text-slate-700">Invite a member</h2>
      <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start" noValidate>
        <Field id="invite-email" label="Email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} error={error?.fieldError("email")} />
        <div className="space-y-1">
          <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            {ROLES.filter((r) => can(ROLE_RIGHTS[r].scope)).map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
          {error?.fieldError("role") ? <p className="text-xs text-red-700">{error.fieldError("role")}</p> : null}
        </div>
        <Button type="submit" className="sm:mt-6" disabled={invite.isPending || email.trim() === ""}>
          {invite.isPending ? "Inviting…" : "Create invitation"}
        </Button>
        {formLevelErrors(error, ["email", "role"]).map((message) => (
          <div key={message} className="sm:col-span-3">
            <Alert>{message}</Alert>
          </div>
        ))}
      </form>
      {invite.data ? (
        <div className="mt-4 space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm" role="region" aria-label="Invitation link">
          <p>
            Send this link to <strong>{invite.data.invitation.email}</strong>. It is shown only now, works once, and expires {when(invite.data.invitation.expiresAt)}.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="invitation-link">{invite.data.link}</code>
            <CopyButton text={invite.data.link} label="Copy link" />
          </div>
        </div>
      ) : null}
    </section>
  );
}
