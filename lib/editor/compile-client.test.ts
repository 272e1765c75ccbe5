// The compile client against a stand-in worker that answers when the test says: what a fast typist's
// keystrokes send to the compiler, and what each of their builds answers.
import { describe, expect, it } from "vitest";
import { CompileClient } from "./compile-client";
import type { CompileJob, CompileReply } from "./compile-protocol";

class StandInWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  received: CompileJob[] = [];
  terminated = false;
  postMessage(message: CompileJob) {
    this.received.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker's answer to a job it received: a module whose one byte is the job's source. */
  answer(job: CompileJob) {
    this.onmessage!({ data: { id: job.id, wasm: new Uint8Array([Number(job.files["main.ts"])]), ms: 1, diagnostics: [] } satisfies CompileReply });
  }
}

function clientWithStandIn(): { client: CompileClient; worker: StandInWorker } {
  const worker = new StandInWorker();
  return { client: new CompileClient(() => worker as unknown as Worker), worker };
}

const settled = <T,>(p: Promise<T>) => Promise.race([p.then((v) => ({ done: true as const, value: v })), new Promise<{ done: false }>((r) => setTimeout(() => r({ done: false }), 0))]);
const compileSource = (client: CompileClient, n: number) => client.compile("assemblyscript", { "main.ts": String(n) }, "main.ts");

describe("CompileClient", () => {
  it("runs one compile at a time; while it runs only the newest source waits, and the ones it replaced answer skipped without reaching the worker", async () => {
    const { client, worker } = clientWithStandIn();
    const first = compileSource(client, 1);
    const typedOver = [compileSource(client, 2), compileSource(client, 3), compileSource(client, 4)];
    const newest = compileSource(client, 5);
    expect(worker.received.map((j) => j.files["main.ts"])).toEqual(["1"]);
    for (const reply of await Promise.all(typedOver)) expect(reply).toMatchObject({ wasm: null, skipped: true });

    worker.answer(worker.received[0]!);
    expect((await first).wasm).toEqual(new Uint8Array([1]));
    // The first compile's answer sends the newest source, and only it.
    expect(worker.received.map((j) => j.files["main.ts"])).toEqual(["1", "5"]);
    expect(await settled(newest)).toEqual({ done: false });
    worker.answer(worker.received[1]!);
    expect((await newest).wasm).toEqual(new Uint8Array([5]));

    // Idle again: the next compile goes to the worker at once.
    const later = compileSource(client, 6);
    expect(worker.received.map((j) => j.files["main.ts"])).toEqual(["1", "5", "6"]);
    worker.answer(worker.received[2]!);
    expect((await later).wasm).toEqual(new Uint8Array([6]));
  });

  it("a compile of the same sources as the running one, or when idle as the last one answered, takes that answer without compiling again", async () => {
    const { client, worker } = clientWithStandIn();
    // The app page's warm-up compile of the app's source, then the editor's first build of the same files.
    const warmUp = compileSource(client, 1);
    const typedOver = compileSource(client, 2);
    const editor = compileSource(client, 1);
    expect(await typedOver).toMatchObject({ skipped: true });
    worker.answer(worker.received[0]!);
    expect((await editor).wasm).toEqual(new Uint8Array([1]));
    expect((await warmUp).wasm).toEqual(new Uint8Array([1]));
    expect(await compileSource(client, 1)).toBe(await editor);
    expect(worker.received).toHaveLength(1);

    // Other sources compile; the same files under another entry or language are another compile.
    void compileSource(client, 2);
    void client.compile("wat", { "main.ts": "2" }, "main.ts");
    worker.answer(worker.received[1]!);
    expect(worker.received.map((j) => [j.language, j.files["main.ts"]])).toEqual([["assemblyscript", "1"], ["assemblyscript", "2"], ["wat", "2"]]);
  });

  it("a precompile (the app page's, the editor page's) goes to an idle worker only, and never replaces the editor's waiting compile", async () => {
    const { client, worker } = clientWithStandIn();
    client.precompile("assemblyscript", { "main.ts": "1" }, "main.ts");
    const editor = compileSource(client, 2);
    client.precompile("assemblyscript", { "main.ts": "3" }, "main.ts");
    worker.answer(worker.received[0]!);
    worker.answer(worker.received[1]!);
    expect((await editor).wasm).toEqual(new Uint8Array([2]));
    expect(worker.received.map((j) => j.files["main.ts"])).toEqual(["1", "2"]);
  });

  it("an answer for a job that is not the running one resolves nothing", async () => {
    const { client, worker } = clientWithStandIn();
    const running = compileSource(client, 1);
    worker.onmessage!({ data: { id: 999, wasm: null, ms: 0, diagnostics: [] } });
    expect(await settled(running)).toEqual({ done: false });
    worker.answer(worker.received[0]!);
    expect((await running).wasm).toEqual(new Uint8Array([1]));
  });

  it("a worker that fails answers the running and the waiting compile with the reason, and the next compile starts a new worker", async () => {
    const workers: StandInWorker[] = [];
    const client = new CompileClient(() => {
      workers.push(new StandInWorker());
      return workers.at(-1) as unknown as Worker;
    });
    const running = compileSource(client, 1);
    const waiting = compileSource(client, 2);
    workers[0]!.onerror!({ message: "out of memory" });
    for (const reply of await Promise.all([running, waiting])) expect(reply.diagnostics[0]?.message).toMatch(/out of memory/);
    expect(workers[0]!.terminated).toBe(true);

    const next = compileSource(client, 3);
    expect(workers).toHaveLength(2);
    workers[1]!.answer(workers[1]!.received[0]!);
    expect((await next).wasm).toEqual(new Uint8Array([3]));
  });
});
