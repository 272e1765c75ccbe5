// A cold IDE (the AssemblyScript compiler not loaded yet) shows where it is on the way to the first
// preview — loading the compiler, compiling, starting the preview — and never says two things that
// contradict each other: no "no errors" before the first build, no "fix the problems" without one.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS } from "./support";

interface Snapshot {
  count: string | null;
  waiting: string | null;
  stage: string | null;
  response: boolean;
}

test("the first preview shows its progress and the panels never contradict", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  // Every change of the problem count and the preview's waiting text, recorded in the page from
  // the start, so that no state is missed between two polls of the test.
  await page.addInitScript(() => {
    const seen: Snapshot[] = [];
    (window as unknown as { __ideStates: Snapshot[] }).__ideStates = seen;
    const record = () => {
      const snap = {
        count: document.querySelector('[data-testid="problem-count"]')?.textContent ?? null,
        waiting: document.querySelector('[data-testid="preview-waiting"]')?.textContent ?? null,
        stage: document.querySelector('[data-testid="preview-waiting"]')?.getAttribute("data-stage") ?? null,
        response: document.querySelector('[data-testid="preview"]') !== null,
      };
      const last = seen[seen.length - 1];
      if (!last || JSON.stringify(last) !== JSON.stringify(snap)) seen.push(snap);
    };
    new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await signUpViaApi(page);
  // Opened by its address: the app page would have started loading the compiler (compiler-warm-start.spec.ts).
  expect((await page.request.post("/api/v1/apps", { data: { name: "cold", template: "hello-as" }, headers: { origin: baseURL! } })).status()).toBe(201);
  await page.goto("/dashboard/apps/cold/editor");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });
  await expect(page.getByTestId("problem-count")).toHaveText("no errors");

  const states = await page.evaluate(() => (window as unknown as { __ideStates: Snapshot[] }).__ideStates);
  const withPanels = states.filter((s) => s.count !== null);
  expect(withPanels.length).toBeGreaterThan(1);
  // The compiler's load was shown as a step, before the compile.
  const stages = withPanels.map((s) => s.stage).filter((s): s is string => s !== null);
  expect(stages[0]).toBe("loading-compiler");
  expect(stages).toContain("starting");
  for (const s of withPanels) {
    // Before the first build finishes the count says "checking…", never "no errors".
    if (s.stage === "loading-compiler" || (s.stage === "compiling" && !s.response && s.count !== "no errors")) expect(s.count, JSON.stringify(s)).toBe("checking…");
    // "Fix the problems" only beside a count of errors.
    if (s.waiting?.includes("Fix the problems")) expect(s.count, JSON.stringify(s)).toMatch(/^\d+ errors?$/);
    if (s.count === "no errors") expect(s.waiting ?? "", JSON.stringify(s)).not.toContain("Fix the problems");
  }
  expect(withPanels.some((s) => s.count === "checking…" && s.waiting?.includes("Loading the compiler"))).toBe(true);
});
