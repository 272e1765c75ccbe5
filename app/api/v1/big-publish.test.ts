// One tenant publishes a 60 MiB module while another tenant keeps using the platform: its app
// through the gateway, its console pages and the console's API. Nothing the big upload does may
// make the others wait (the embedded database once froze for 87–135 s on exactly this).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, apiWithToken, publishForm } from "@/lib/testing/console-client";
import { paddedModule } from "@/lib/testing/padded-module";
import { startPlatform, type Platform } from "@/lib/testing/platform";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { waitUntil } from "@/lib/testing/wait-until";
import { appUrl, fetchApp } from "@/lib/testing/app-fetch";

const MiB = 1024 * 1024;
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

interface Sample {
  status: number;
  ms: number;
}

/**
 * Makes a request every `everyMs` (or as soon as the previous one answered, if later) until `done`
 * settles and at least `minSamples` answered; every answer's status and time. Paced like people
 * using the platform, not a load test: on 2 cores, back-to-back loops would measure their own load
 * rather than the upload's effect. The window covers the whole upload; on a busy machine answers are
 * slower and fewer fit in it, so the loop runs on past it until a p99 has its samples.
 */
async function loop(request: () => Promise<Response>, done: Promise<unknown>, everyMs = 50, minSamples = 0): Promise<Sample[]> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => {});
  const samples: Sample[] = [];
  while (!finished || samples.length < minSamples) {
    const started = performance.now();
    const res = await request();
    await res.arrayBuffer();
    const ms = performance.now() - started;
    samples.push({ status: res.status, ms });
    if (ms < everyMs) await new Promise((r) => setTimeout(r, everyMs - ms));
  }
  return samples;
}

/** POSTs `file` as a version's module from a child process; its status and JSON answer. */
function uploadFrom(file: string, url: string, token: string): Promise<{ status: number; body: { version: { moduleSize: number } } }> {
  const script = `
    const { openAsBlob } = require("node:fs");
    (async () => {
      const form = new FormData();
      form.set("version", "1.0.0");
      form.set("module", await openAsBlob(process.argv[1]), "app.wasm");
      const res = await fetch(process.argv[2], { method: "POST", body: form, headers: { authorization: "Bearer " + process.argv[3] } });
      process.stdout.write(JSON.stringify({ status: res.status, body: await res.json() }));
    })();`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["-e", script, file, url, token], { maxBuffer: 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`upload failed: ${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

function p99(samples: Sample[]): number {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

type Loop = "gateway" | "pages" | "api";

/** `everyMs`: the loops' pace; a faster one gives a p99 enough samples to be a p99, not the worst answer. */
function describeBigPublish(kind: "embedded" | "postgres", bounds: Partial<Record<Loop, number>>, everyMs = 50) {
  describe(`a 60 MiB publish on the ${kind} database`, () => {
    let database: TestDatabase | undefined;
    let platform: Platform;
    let tmp: string;
    let uploader: ReturnType<typeof apiWithToken>;
    let uploaderToken: string;
    let neighbour: ConsoleClient;
    let neighbourApi: ReturnType<typeof apiWithToken>;
    let neighbourApp: string;

    beforeAll(async () => {
      tmp = await mkdtemp(path.join(os.tmpdir(), "wc-big-publish-"));
      if (kind === "postgres") database = await createTestDatabase("postgres");
      platform = await startPlatform({ dataDir: path.join(tmp, "data"), databaseUrl: database?.url });
      const a = new ConsoleClient(platform.consoleUrl);
      await a.signUp();
      uploaderToken = await a.createToken("admin", "big");
      uploader = apiWithToken(platform.consoleUrl, uploaderToken);
      expect((await uploader("/api/v1/apps", json({ name: "big" }))).status).toBe(201);

      neighbour = new ConsoleClient(platform.consoleUrl);
      const b = await neighbour.signUp();
      neighbourApi = apiWithToken(platform.consoleUrl, await neighbour.createToken("admin", "neighbour"));
      expect((await neighbourApi("/api/v1/apps", json({ name: "small", template: "hello-wat" }))).status).toBe(201);
      const published = await neighbourApi("/api/v1/apps/small/versions", { method: "POST", body: publishForm("0.0.1", await paddedModule(4096)) });
      expect(published.status).toBe(201);
      expect((await neighbourApi("/api/v1/apps/small/deployments", json({ version: "0.0.1" }))).status).toBe(201);
      neighbourApp = appUrl(platform.gatewayUrl, b.tenant, "small");
      await waitUntil(async () => (await fetchApp(neighbourApp)).status === 200, 15_000, `${neighbourApp} answers`);
    }, 300_000);

    afterAll(async () => {
      await platform?.stop();
      await database?.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    it("completes while the other tenant's app, console pages and API keep answering quickly", async () => {
      const modulePath = path.join(tmp, "big.wasm");
      await writeFile(modulePath, await paddedModule(60 * MiB));
      // Uploaded by another process, as a user's browser or CLI would: this process only measures.
      const requests: Record<Loop, () => Promise<Response>> = {
        gateway: () => fetchApp(neighbourApp),
        pages: () => neighbour.fetch("/dashboard/apps"),
        api: () => neighbourApi("/api/v1/apps"),
      };
      const loops = Object.keys(bounds) as Loop[];
      // The same loops for 3 s before the upload: printed beside the figures, for scale.
      const idle = await Promise.all(loops.map((name) => loop(requests[name], new Promise((r) => setTimeout(r, 3000)), everyMs)));
      const publish = uploadFrom(modulePath, `${platform.consoleUrl}/api/v1/apps/big/versions`, uploaderToken);
      // A p99 of fewer than 100 answers would be the worst answer, not a p99.
      const minSamples = kind === "postgres" ? 101 : 4;
      const [res, ...measured] = await Promise.all([publish, ...loops.map((name) => loop(requests[name], publish, everyMs, minSamples))]);
      const body = res.body;
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body.version.moduleSize).toBeGreaterThan(60 * MiB - 1024);

      const figures = Object.fromEntries(loops.map((name, i) => [name, measured[i]!]));
      console.log(
        `big publish (${kind}): ` +
          Object.entries(figures)
            .map(([name, s]) => `${name} ${s.length} requests, p99 ${p99(s).toFixed(0)} ms (idle before: ${p99(idle[loops.indexOf(name as Loop)]!).toFixed(0)} ms)`)
            .join("; "),
      );
      for (const [name, samples] of Object.entries(figures)) {
        expect(
          samples.filter((s) => s.status !== 200),
          `${name}: every answer a 200`,
        ).toEqual([]);
        expect(p99(samples), `${name}: p99 (ms)`).toBeLessThan(bounds[name as Loop]!);
      }

      // The version is whole: the gateway serves it once deployed.
      expect((await uploader("/api/v1/apps/big/deployments", json({ version: "1.0.0" }))).status).toBe(201);
    }, 300_000);
  });
}

// The embedded database: under 1 s for everything the other tenant does at once.
describeBigPublish("embedded", { gateway: 1000, pages: 1000, api: 1000 });
// PostgreSQL: the console's other API requests, every 15 ms, keep answering while it takes the
// upload (a freeze is seconds; the p99 is printed, and tracked by bench/deploy.ts, not bounded tighter
// here: 200 ms failed on a busy machine with nothing wrong).
describeBigPublish("postgres", { api: 1000 }, 15);
