import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, toCliError } from "./api-client";
import { CliError, EXIT } from "./exit-codes";
import { createMultipartBody } from "./multipart";
import { tempDir } from "./test-support";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(() => tmp.remove());

describe("ApiClient", () => {
  it("streams an upload: the server sees the first bytes long before the client has read the whole file", async () => {
    const size = 20 * 1024 * 1024;
    const file = path.join(tmp.dir, "big.wasm");
    await writeFile(file, randomBytes(size));
    const body = createMultipartBody([{ name: "module", filename: "big.wasm", source: file, size }]);

    let sent = 0;
    let sentAtFirstByte = -1;
    let received = 0;
    const server = createServer((req, res) => {
      req.on("data", (chunk: Buffer) => {
        if (sentAtFirstByte < 0) sentAtFirstByte = sent;
        received += chunk.length;
      });
      req.on("end", () => res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ received })));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "wc_x");
      const answer = await client.request<{ received: number }>("POST", "/upload", {
        body: body.stream((s) => (sent = s)),
        headers: { "content-type": body.contentType, "content-length": String(body.length) },
      });
      expect(answer.received).toBe(body.length);
      expect(sentAtFirstByte).toBeGreaterThan(0);
      expect(sentAtFirstByte).toBeLessThan(body.length / 2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("explains a connection the server closed mid-upload", async () => {
    const size = 30 * 1024 * 1024;
    const file = path.join(tmp.dir, "big.wasm");
    await writeFile(file, Buffer.alloc(size));
    const body = createMultipartBody([{ name: "module", filename: "big.wasm", source: file, size }]);
    const server = createServer((_req, res) => res.writeHead(413, { connection: "close" }).end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "wc_x");
      const error: CliError = await client
        .request("POST", "/upload", { body: body.stream(), headers: { "content-type": body.contentType, "content-length": String(body.length) } })
        .then(
          () => Promise.reject(new Error("expected the upload to fail")),
          (e: CliError) => e,
        );
      // Either fetch saw the 413 (exit 6) or only the closed socket (exit 1, with the likely reason).
      if (error.exitCode === EXIT.VALIDATION) expect(error.details.status).toBe(413);
      else expect(error.message).toMatch(/closed the connection during the upload .*UPLOAD_MAX_BYTES/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("sends the bearer token and JSON, and answers null for 204", async () => {
    const seen: { auth?: string; type?: string; body?: string }[] = [];
    const server = createServer(async (req, res) => {
      let body = "";
      for await (const c of req) body += c;
      seen.push({ auth: req.headers.authorization, type: req.headers["content-type"], body });
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const client = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "wc_secret");
      expect(await client.request("POST", "/x", { json: { a: 1 } })).toBeNull();
      expect(seen[0]).toEqual({ auth: "Bearer wc_secret", type: "application/json", body: '{"a":1}' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("toCliError", () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

  it("keeps the server's code, message and field", async () => {
    const e = await toCliError(json(422, { error: { code: "UNPROCESSABLE", message: "routes[1].path: must start with /", field: "routes" } }));
    expect(e).toMatchObject({ message: "routes[1].path: must start with /", exitCode: EXIT.VALIDATION, details: { code: "UNPROCESSABLE", status: 422, field: "routes" } });
  });

  it("adds Retry-After to a rate-limit message", async () => {
    const e = await toCliError(json(429, { error: { code: "RATE_LIMITED", message: "Too many requests." } }, { "retry-after": "30" }));
    expect(e.message).toBe("Too many requests. (retry after 30s)");
    expect(e.exitCode).toBe(EXIT.ERROR);
  });

  it("explains a redirect (a sign-in page, a wrong URL)", async () => {
    const e = await toCliError(new Response(null, { status: 307, headers: { location: "/sign-in" } }));
    expect(e.message).toMatch(/redirected to \/sign-in/);
  });
});
