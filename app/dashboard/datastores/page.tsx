import type { Metadata } from "next";
import { DatastoreList } from "@/components/kv/datastore-list";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Datastores" };

export default async function DatastoresPage() {
  await requireSessionUser();
  return <DatastoreList />;
}
