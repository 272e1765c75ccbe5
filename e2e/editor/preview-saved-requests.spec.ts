// Saved requests in the preview's request panel: save the current request (method, path with query,
// headers, body) under a name, overwrite, delete; after a page reload the list is still there, one
// click loads a request and running it sends exactly that request to the module.
import { expect, test, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";
import { applyEditorTemplate, createAppAndOpenEditor, previewBodyBytes } from "./support";

const APP = "saved-app";

async function fillRequest(page: Page, r: { method: string; path: string; query?: string; headers?: string; body?: string }) {
  const preview = page.getByRole("complementary", { name: "Preview" });
  await preview.getByLabel("Method").selectOption(r.method);
  await preview.getByLabel("Path").fill(r.path);
  await preview.getByLabel("Query", { exact: true }).fill(r.query ?? "");
  await preview.getByLabel("Headers").fill(r.headers ?? "");
  await preview.getByLabel("Body").fill(r.body ?? "");
}

test("save, overwrite, delete, reload, load and run saved requests", async ({ page }) => {
  test.setTimeout(180_000);
  await signUpViaApi(page);
  await createAppAndOpenEditor(page, APP, "hello-wat");
  await applyEditorTemplate(page, "form-wat");
  await expect(page.getByTestId("preview-html")).toBeVisible({ timeout: 60_000 });

  const preview = page.getByRole("complementary", { name: "Preview" });
  const saved = preview.getByRole("list", { name: "Saved requests" });
  await preview.getByText("Query, headers, body").click();

  await fillRequest(page, { method: "POST", path: "/", query: "lang=en", headers: "content-type: application/x-www-form-urlencoded", body: "name=Ada&message=hi+there" });
  await preview.getByLabel("Request name").fill("send form");
  await preview.getByRole("button", { name: "Save request" }).click();
  await expect(saved.getByRole("listitem")).toHaveCount(1);
  await expect(saved).toContainText("send formPOST /?lang=en");

  await fillRequest(page, { method: "GET", path: "/" });
  await preview.getByLabel("Request name").fill("show form");
  await preview.getByRole("button", { name: "Save request" }).click();
  await expect(saved.getByRole("listitem")).toHaveCount(2);

  // Overwrite "send form" by saving under its name again (after a confirmation).
  await fillRequest(page, { method: "POST", path: "/", query: "lang=fr", headers: "content-type: application/x-www-form-urlencoded", body: "name=Grace+Hopper&message=%3Cb%3E" });
  await preview.getByLabel("Request name").fill("send form");
  await preview.getByRole("button", { name: "Save request" }).click();
  const replace = page.getByRole("alertdialog", { name: 'Replace the saved request "send form"?' });
  await replace.getByRole("button", { name: "Replace it" }).click();
  await expect(saved).toContainText("send formPOST /?lang=fr");
  await expect(saved.getByRole("listitem")).toHaveCount(2);

  // Delete "show form".
  await saved.getByRole("button", { name: "Delete saved request show form" }).click();
  await page.getByRole("alertdialog", { name: 'Delete the saved request "show form"?' }).getByRole("button", { name: "Delete it" }).click();
  await expect(saved.getByRole("listitem")).toHaveCount(1);

  // Load it, change the query, and update it in place.
  await fillRequest(page, { method: "GET", path: "/elsewhere" });
  await saved.getByRole("button", { name: "Load saved request send form" }).click();
  await expect(preview.getByLabel("Query", { exact: true })).toHaveValue("lang=fr");
  await preview.getByLabel("Query", { exact: true }).fill("lang=de");
  await saved.getByRole("button", { name: "Update saved request send form" }).click();
  await expect(saved).toContainText("send formPOST /?lang=de");
  await page.screenshot({ path: test.info().outputPath("saved-requests.png") });

  // Stored on the server: the API lists it with the query inside the path.
  const listed = await (await page.request.get(`/api/v1/apps/${APP}/requests`)).json();
  expect(listed.requests).toEqual([
    expect.objectContaining({ name: "send form", method: "POST", path: "/?lang=de", headers: [["content-type", "application/x-www-form-urlencoded"]], body: "name=Grace+Hopper&message=%3Cb%3E" }),
  ]);

  // A reload starts from a blank GET /; one click loads the saved request, and running it sends it.
  await page.reload();
  await expect(page.locator(".monaco-editor").first()).toBeVisible({ timeout: 30_000 });
  await expect(preview.getByLabel("Method")).toHaveValue("GET");
  await expect(page.getByTestId("preview-html")).toBeVisible({ timeout: 60_000 });
  await preview.getByRole("button", { name: "Load saved request send form" }).click();
  await expect(preview.getByLabel("Method")).toHaveValue("POST");
  await expect(preview.getByLabel("Path")).toHaveValue("/");
  await preview.getByText("Query, headers, body").click();
  await expect(preview.getByLabel("Query", { exact: true })).toHaveValue("lang=de");
  await expect(preview.getByLabel("Headers")).toHaveValue("content-type: application/x-www-form-urlencoded");
  await expect(preview.getByLabel("Body")).toHaveValue("name=Grace+Hopper&message=%3Cb%3E");
  await preview.getByRole("button", { name: "Run", exact: true }).click();
  await expect.poll(async () => (await previewBodyBytes(page)).toString("utf8")).toContain("<dd>Grace Hopper</dd>");
  expect((await previewBodyBytes(page)).toString("utf8")).toContain("<dd>&lt;b&gt;</dd>");
  await page.screenshot({ path: test.info().outputPath("saved-request-run.png") });

  // What the server refuses is shown with its reason, and nothing is saved.
  await preview.getByLabel("Body").fill("x".repeat(70_000));
  await preview.getByLabel("Request name").fill("too big");
  await preview.getByRole("button", { name: "Save request" }).click();
  await expect(preview.getByRole("alert")).toContainText("body: 70000 bytes is over the 64 KiB a saved request may keep");
  await expect(saved.getByRole("listitem")).toHaveCount(1);
});
