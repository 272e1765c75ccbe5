import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitation } from "@/components/team/accept-invitation";
import { getSessionUser } from "@/lib/auth/session";
import { previewInvitation } from "@/lib/teams/invitations";

export const metadata: Metadata = { title: "Invitation" };

// An invitation's one-time link: accept it signed in, or sign in / sign up and come back here.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([previewInvitation({ token }), getSessionUser()]);
  if (!invitation) {
    return <Message title="This invitation link is not valid">Check that the whole link was copied, or ask for a new invitation.</Message>;
  }
  if (invitation.status !== "pending") {
    return <Message title={`This invitation was ${invitation.status}`}>Ask an owner or admin of {invitation.tenantName} for a new one.</Message>;
  }
  const back = new URLSearchParams({ callbackUrl: `/invite/${token}` });
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Join {invitation.tenantName}</h1>
      <p className="text-sm text-slate-600">
        You are invited to <span className="font-mono">{invitation.tenantName}</span> as <strong>{invitation.role}</strong>, with the email <strong>{invitation.email}</strong>.
      </p>
      {user ? (
        <>
          {user.email !== invitation.email ? (
            <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              You are signed in as {user.email}. Sign out and sign in (or sign up) as {invitation.email} to accept.
            </p>
          ) : null}
          <AcceptInvitation token={token} tenantName={invitation.tenantName} />
        </>
      ) : (
        <div className="flex flex-col gap-2">
          <Link href={`/sign-up?${back}`} className="rounded-md bg-indigo-600 px-4 py-2 text-center text-sm font-semibold text-white hover:bg-indigo-500">
            Create an account to accept
          </Link>
          <Link href={`/sign-in?${back}`} className="text-center text-sm font-medium text-indigo-600 hover:text-indigo-500">
            I have an account: sign in
          </Link>
        </div>
      )}
    </div>
  );
}

function Message({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="text-sm text-slate-600">{children}</p>
    </div>
  );
}
