// Liveness: the console process answers. No database access, so it stays cheap.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}
