// The module checks both publish paths run (the console's publishVersion and the gateway's folder
// registry), on real modules: a good one comes back capped, a bad one with sentences saying why.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readMemories } from "@/lib/wasm/memory-cap";
import { checkModule } from "./check-module";
import { describeInWorker } from "@/lib/compile-workers/compile-in-worker";

const fixture = async (name: string) => new Uint8Array(await readFile(path.resolve(import.meta.dirname, "../../fixtures/wasm", `${name}.wasm`)));
const join = (pieces: Uint8Array[]) => new Uint8Array(Buffer.concat(pieces));

describe("checkModule", () => {
  it("caps a good module's memory to the app's limit", async () => {
    const checked = await checkModule({ bytes: await fixture("hello-c"), entrypoints: ["_start"], memoryMb: 2, describe: describeInWorker });
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(readMemories(join(checked.pieces))[0]!.maxPages).toBe(32);
  });

  it("names an import the host does not provide, a missing entrypoint and memory over the cap", async () => {
    const imports = await checkModule({ bytes: await fixture("unsupported-import"), entrypoints: [], memoryMb: 64, describe: describeInWorker });
    expect(imports.ok ? [] : imports.problems.join(" ")).toMatch(/env\.open_socket/);
    const entry = await checkModule({ bytes: await fixture("hello-c"), entrypoints: ["handle"], memoryMb: 64, describe: describeInWorker });
    expect(entry.ok ? [] : entry.problems.join(" ")).toMatch(/"handle"/);
    const big = await checkModule({ bytes: await fixture("huge-response"), entrypoints: [], memoryMb: 1, describe: describeInWorker });
    expect(big.ok ? [] : big.problems.join(" ")).toMatch(/17 pages/);
  });
});
