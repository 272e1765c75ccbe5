import type { Metadata } from "next";
import { DatastoreList } from "@/components/kv/datastore-list";
import { requireSessionUser } from "@/lib/auth/session";
import { findDatastores } from "@/lib/kv/find-datastores";

export const metadata: Metadata = { title: "Datastores" };

export default async function DatastoresPage() {
  const user = await requireSessionUser();
  const { apps, quotas } = await findDatastores({ actor: { tenantId: user.tenantId } });
  return <DatastoreList apps={apps} quotas={quotas} />;
}
