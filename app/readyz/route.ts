import { db } from "@/lib/db/client";

// Readiness: the console can reach its database; a load balancer should route elsewhere when not.
export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ready" });
  } catch {
    return Response.json({ status: "unavailable", reason: "database unreachable" }, { status: 503 });
  }
}
