// The IDE preview's component route through real HTTP: the console answers the packed artifact
// publish would store for an uploaded WASI 0.2 component, and it runs (here in Node) as the
// gateway runs it; a component of another world is a 422 with the sentence the IDE shows.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoTenants, type TwoTenants } from "@/lib/testing/two-tenants";
import { apiWithToken } from "@/lib/testing/console-client";
import { buildPreviewRequest } from "@/lib/editor/preview-protocol";
import { isComponentArtifact, unpackComponentArtifact } from "@/lib/wasm/component/artifact";
import { loadComponent, runComponent } from "@/lib/wasm/component/run-component";

const ROOT = path.resolve(import.meta.dirname, "../../../../../../..");
const fixture = async (file: string) => new Uint8Array(await readFile(path.join(ROOT, file)));

let bed: TwoTenants;
let alice: ReturnType<typeof apiWithToken>;
let aliceRead: ReturnType<typeof apiWithToken>;
let bob: ReturnType<typeof apiWithToken>;

beforeAll(async () => {
  // A small upload cap, to see the route keep to it.
  bed = await startTwoTenants({ name: "preview-component", env: { UPLOAD_MAX_BYTES: String(64 * 1024) }, aliceScope: "deploy" });
  ({ alice, aliceRead, bob } = bed);
  expect((await alice("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "comp" }) })).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await bed?.stop();
});

const send = (as: ReturnType<typeof apiWithToken>, body: Uint8Array, query = "?memoryMb=16", app = "comp") =>
  as(`/api/v1/apps/${app}/preview/component${query}`, { method: "POST", headers: { "content-type": "application/wasm" }, body: body.slice() });

describe("POST /api/v1/apps/{app}/preview/component", () => {
  it("answers the artifact (cores capped to memoryMb), the same bytes again for the same component, and it serves the component's response", async () => {
    const hello = await fixture("fixtures/component/hello.component.wasm");
    const res = await send(alice, hello);
    expect(res.status, await res.clone().text()).toBe(200);
    const packed = new Uint8Array(await res.arrayBuffer());
    expect(isComponentArtifact(packed)).toBe(true);
    const artifact = unpackComponentArtifact(packed);
    expect(artifact.exports).toContain("wasi:http/incoming-handler@0.2.0");
    const again = new Uint8Array(await (await send(alice, hello)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(packed))).toBe(true);
    // Another memory cap is another artifact.
    const bigger = new Uint8Array(await (await send(alice, hello, "?memoryMb=32")).arrayBuffer());
    expect(Buffer.from(bigger).equals(Buffer.from(packed))).toBe(false);

    const { request } = buildPreviewRequest("http://comp.localhost/", [], { method: "GET", path: "/x", query: "", headers: [], body: "" })!;
    const answer = runComponent({ component: loadComponent(packed), request, env: {} });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(new TextDecoder().decode(answer.body)).toBe("Hello from a component\n");
  });

  it("refuses a component of another world, a core module, a bad memoryMb and a body over the upload cap, each saying why", async () => {
    const wrong = await send(alice, await fixture("fixtures/component/wrong-world.component.wasm"));
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error).toMatchObject({ field: "module", message: expect.stringContaining("does not export wasi:http/incoming-handler@0.2.x") });

    const module = await send(alice, await fixture("fixtures/wasm/hello-wat.wasm"));
    expect(module.status).toBe(422);
    expect((await module.json()).error.message).toMatch(/not a WebAssembly component/);

    const memory = await send(alice, await fixture("fixtures/component/hello.component.wasm"), "?memoryMb=0");
    expect(memory.status).toBe(422);
    expect((await memory.json()).error.field).toBe("memoryMb");

    const big = await send(alice, new Uint8Array(65 * 1024));
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toMatch(/larger than 64 KiB/);
  });

  it("needs the deploy scope and the tenant's own app", async () => {
    const hello = await fixture("fixtures/component/hello.component.wasm");
    expect((await send(aliceRead, hello)).status).toBe(403);
    expect((await send(bob, hello)).status).toBe(404);
  });
});
