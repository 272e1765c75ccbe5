"use client";
// Accepts an invitation as the signed-in user, then opens the console in the joined tenant.
import { useMutation } from "@tanstack/react-query";
import { Alert, Button } from "@/components/ui";
import { api } from "@/lib/client/api";
import type { CurrentTenantResponse } from "@/lib/client/types";

export function AcceptInvitation({ token, tenantName }: { token: string; tenantName: string }) {
  const accept = useMutation({
    mutationFn: () => api<CurrentTenantResponse>("/invitations/accept", { method: "POST", json: { token } }),
    onSuccess: () => window.location.assign("/dashboard"),
  });
  return (
    <div className="space-y-3">
      {accept.error ? <Alert>{(accept.error as Error).message}</Alert> : null}
      <Button type="button" className="w-full" disabled={accept.isPending || accept.isSuccess} onClick={() => accept.mutate()}>
        {accept.isPending || accept.isSuccess ? "Joining…" : `Accept and join ${tenantName}`}
      </Button>
    </div>
  );
}
