/**
 * Deploy latency: from the publish request to the first 200 from the gateway for the new version,
 * p50 over 20 publish+deploy cycles, beside a plain HTTP round trip measured in the same run.
 * Runs the platform as `npm start` does (embedded database unless DATABASE_URL is set).
 *
 *   BENCH_DEPLOYS (default 20)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { ConsoleClient, apiWithToken, publishForm } from "../lib/testing/console-client";
import { startPlatform } from "../lib/testing/platform";
import { percentile } from "./lib/load";
import { reportFigure } from "./lib/figures";

const DEPLOYS = Number(process.env.BENCH_DEPLOYS ?? 20);
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/wasm");
const modules = [
  { bytes: new Uint8Array(readFileSync(path.join(FIXTURES, "hello-wat.wasm"))), body: "hello from WAT\n" },
  { bytes: new Uint8Array(readFileSync(path.join(FIXTURES, "hello-c.wasm"))), body: "hello from C\n" },
];

async function plainRoundTrip(): Promise<number[]> {
  const server = http.createServer((_, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await (await fetch(url)).text();
    if (i >= 10) times.push(performance.now() - t);
  }
  await new Promise<void>((r) => server.close(() => r()));
  return times;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "wc-bench-deploy-"));
const platform = await startPlatform({ dataDir, databaseUrl: process.env.DATABASE_URL, env: { GATEWAY_LOG: "off", GATEWAY_PATH_ROUTING: "on" } });
try {
  const client = new ConsoleClient(platform.consoleUrl);
  const account = await client.signUp();
  const api = apiWithToken(platform.consoleUrl, await client.createToken("deploy"));
  const post = (p: string, body: unknown) => api(p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  await post("/api/v1/apps", { name: "bench" });
  const url = `${platform.gatewayUrl}/${account.tenant}/bench/`;

  const publishToServe: number[] = [];
  const deployToServe: number[] = [];
  for (let i = 0; i < DEPLOYS; i++) {
    const { bytes, body } = modules[i % 2]!;
    const started = performance.now();
    const published = await api("/api/v1/apps/bench/versions", { method: "POST", body: publishForm(`1.0.${i}`, bytes) });
    if (published.status !== 201) throw new Error(`publish failed: ${await published.text()}`);
    const deployStarted = performance.now();
    const deployed = await post("/api/v1/apps/bench/deployments", { version: `1.0.${i}`, unsafe: true });
    if (deployed.status !== 201) throw new Error(`deploy failed: ${await deployed.text()}`);
    for (;;) {
      const res = await fetch(url);
      if (res.status === 200 && (await res.text()) === body) break;
      if (performance.now() - started > 10_000) throw new Error("the new version never answered");
    }
    const now = performance.now();
    publishToServe.push(now - started);
    deployToServe.push(now - deployStarted);
  }
  const plain = await plainRoundTrip();
  const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
  const rows = [
    ["publish → first 200 of the new version", p50(publishToServe)],
    ["deploy → first 200 of the new version", p50(deployToServe)],
    ["plain node:http round trip (baseline)", p50(plain)],
  ] as const;
  console.log(`\n${DEPLOYS} publish+deploy cycles, p50 ms (database: ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded"})`);
  for (const [label, ms] of rows) console.log(`  ${label.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms`);
  reportFigure({ name: "deploy → first response of the new version, p50", value: p50(deployToServe), unit: "ms" });
  reportFigure({ name: "publish → first response of the new version, p50", value: p50(publishToServe), unit: "ms", goal: "≤ 100 (one core busy)" });
  reportFigure({ name: "publish → first response ÷ plain round trip", value: p50(publishToServe) / p50(plain), unit: "×" });
  console.log(`  ratio publish→serve ÷ plain round trip       ${(p50(publishToServe) / p50(plain)).toFixed(0).padStart(8)} ×`);
} finally {
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
