import { consoleConfig } from "@/lib/config/console-config";
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/openapi-document";

export function GET(req: Request) {
  return NextResponse.json(openApiDocument(consoleConfig().NEXTAUTH_URL ?? new URL(req.url).origin));
}
