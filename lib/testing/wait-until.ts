// Polling for tests that wait on something asynchronous (a deploy reaching every gateway process,
// a log batch being written): the check's first truthy answer, or an error naming what never came.
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil<T>(check: () => Promise<T | false | null | undefined>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await Promise.race([check(), sleep(15_000).then(() => Promise.reject(new Error("check hung for 15 s")))]);
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`);
    await sleep(50);
  }
}
