// The shipped deployment files stay consistent with the code (no image can be pulled here, so
// they are checked by reading them).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script (it runs without a TypeScript loader); its export is typed here.
import { ENTRY_POINTS as untypedEntryPoints } from "./bundle-server.mjs";

const ENTRY_POINTS = untypedEntryPoints as Record<string, string>;

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");

describe("deploy/kubernetes.yaml", () => {
  const docs = parseAllDocuments(read("deploy/kubernetes.yaml")).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, any> };
  });
  const byName = (name: string) => docs.find((d) => d.metadata.name === name)!;

  it("declares the migrate job, console and gateway deployments and their services", () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      "Deployment/wasmcompute-console",
      "Deployment/wasmcompute-gateway",
      "Job/wasmcompute-migrate",
      "Service/wasmcompute-console",
      "Service/wasmcompute-gateway",
    ]);
  });

  it("runs commands and probes that exist in this repository", () => {
    for (const name of ["wasmcompute-migrate", "wasmcompute-console", "wasmcompute-gateway"]) {
      const container = byName(name).spec.template.spec.containers[0];
      const command = container.command as string[];
      const script = command.find((c) => c.startsWith("scripts/") || c.startsWith("node_modules/"));
      // A server bundle (dist/server/NAME.js) is built in the image by scripts/bundle-server.mjs from its entry points.
      const bundle = command.map((c) => /^dist\/server\/([\w-]+)\.js$/.exec(c)?.[1]).find(Boolean);
      const exists = script ? existsSync(path.join(ROOT, script)) : bundle !== undefined && bundle in ENTRY_POINTS && /node scripts\/bundle-server\.mjs/.test(read("deploy/Dockerfile"));
      expect(exists, `${name}: ${command.join(" ")}`).toBe(true);
      expect(container.envFrom[0].secretRef.name).toBe("wasmcompute");
    }
    expect(existsSync(path.join(ROOT, "app/healthz/route.ts"))).toBe(true);
    expect(existsSync(path.join(ROOT, "app/readyz/route.ts"))).toBe(true);
    const consoleProbe = byName("wasmcompute-console").spec.template.spec.containers[0].readinessProbe.httpGet.path;
    expect(consoleProbe).toBe("/readyz");
  });

  it("scales the stateless processes out", () => {
    expect(byName("wasmcompute-console").spec.replicas).toBeGreaterThan(1);
    expect(byName("wasmcompute-gateway").spec.replicas).toBeGreaterThan(1);
  });
});

describe("deploy/Dockerfile", () => {
  const dockerfile = read("deploy/Dockerfile");
  it("builds on the Node major version the project runs on and starts the platform", () => {
    const major = read(".nvmrc").trim();
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${major}-`, "m"));
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    for (const [, src] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      if (src !== ".") expect(existsSync(path.join(ROOT, src!)), src).toBe(true);
    }
  });
});
