// The one wrapper for route handlers: parse JSON safely, run the service, map every error to a
// status and a JSON body a person can act on.
import { NextResponse } from "next/server";
import { AppError, toErrorBody } from "@/lib/errors";
import { clientAddressOf } from "../auth/client-address";
import { readBodyBytes } from "./read-body";

export function clientAddress(req: Request): string {
  return clientAddressOf(req.headers.get("x-forwarded-for"));
}

/** The JSON body, read as a stream of at most `maxBytes` (lib/http/read-body.ts): 413 past it. */
export async function readJson(req: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const text = new TextDecoder().decode(await readBodyBytes(req, maxBytes));
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "Request body must be valid JSON");
  }
}

export function handle<C>(fn: (req: Request, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    try {
      return await fn(req, ctx);
    } catch (e) {
      const { status, body, headers } = toErrorBody(e);
      return NextResponse.json(body, { status, headers });
    }
  };
}
