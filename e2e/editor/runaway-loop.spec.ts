// A guest that never returns is stopped at the app's deadline by terminating the preview worker;
// the page stays responsive throughout and the next preview runs normally.
import { expect, test } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { FIRST_COMPILE_MS, applyEditorTemplate, createAppAndOpenEditor } from "./support";

test("the runaway-loop template is stopped in preview and the page stays usable", async ({ page }) => {
  test.setTimeout(300_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, "looper", "hello-as");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: FIRST_COMPILE_MS });

  await applyEditorTemplate(page, "loop-as");
  await expect(page.getByRole("button", { name: "Running…" })).toBeVisible({ timeout: 20_000 });

  // While the guest spins, the main thread still answers: typing in an input and a timed probe.
  const stall = await page.evaluate(async () => {
    const start = performance.now();
    let worst = 0;
    let last = start;
    while (performance.now() - start < 800) {
      await new Promise((r) => setTimeout(r, 10));
      worst = Math.max(worst, performance.now() - last);
      last = performance.now();
    }
    return worst;
  });
  expect(stall).toBeLessThan(250);
  await page.getByLabel("Path").fill("/still-typing");
  await expect(page.getByLabel("Path")).toHaveValue("/still-typing");

  await expect(page.getByTestId("preview-error")).toContainText("timeout", { timeout: 10_000 });
  await expect(page.getByTestId("preview-error")).toContainText("Stopped after 2000 ms");
  await page.screenshot({ path: test.info().outputPath("runaway-loop.png") });

  // A fresh worker runs the next preview.
  await applyEditorTemplate(page, "hello-as");
  await page.getByLabel("Path").fill("/");
  await expect(page.getByTestId("preview-body")).toHaveText("Hello from AssemblyScript!", { timeout: 20_000 });
});
