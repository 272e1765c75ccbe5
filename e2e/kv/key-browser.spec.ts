// The datastore's key browser: keys seeded through the API (JSON, text, binary, and enough to
// page), browsed by prefix page by page, shown as pretty JSON, hex and base64, then edited, added,
// deleted one by one and by prefix after typing the confirmation; each change checked over plain
// HTTP against the API.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signUpViaApi } from "../support/accounts";

// The start of a PNG: signature, IHDR chunk header, then two more bytes (a second dump line).
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff]);
const PROFILE = { name: "Ada", langs: ["c", "rust"], visits: 3 };

interface Entry { key: string; value: string; encoding: "utf8" | "base64"; expiresAt: string | null }

function kvApi(request: APIRequestContext, origin: string) {
  const entry = (key: string) => `/api/v1/apps/store/kv/entry?key=${encodeURIComponent(key)}`;
  return {
    put: async (key: string, value: string, encoding: "utf8" | "base64" = "utf8") => {
      const res = await request.put(entry(key), { data: { value, encoding }, headers: { origin } });
      expect(res.status(), await res.text()).toBe(200);
    },
    get: async (key: string): Promise<{ status: number; entry?: Entry }> => {
      const res = await request.get(entry(key));
      return { status: res.status(), ...(res.ok() ? ((await res.json()) as { entry: Entry }) : {}) };
    },
    keys: async (prefix: string): Promise<string[]> => {
      const res = await request.get(`/api/v1/apps/store/kv?prefix=${encodeURIComponent(prefix)}&limit=1000`);
      expect(res.status()).toBe(200);
      return ((await res.json()) as { keys: { key: string }[] }).keys.map((k) => k.key);
    },
  };
}

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
const keyButton = (page: Page, key: string) => page.getByRole("table", { name: "Keys" }).getByRole("button", { name: key, exact: true });
async function filter(page: Page, prefix: string) {
  await page.getByLabel("Prefix").fill(prefix);
  await page.getByRole("button", { name: "Filter" }).click();
}
const item = (i: number) => `item:${String(i).padStart(3, "0")}`;

test("browse, view, edit, add and delete keys in the console", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await signUpViaApi(page);
  const origin = baseURL!;
  expect((await page.request.post("/api/v1/apps", { data: { name: "store" }, headers: { origin } })).status()).toBe(201);
  const kv = kvApi(page.request, origin);
  await kv.put("profile:ada", JSON.stringify(PROFILE));
  await kv.put("greeting", "hello, world");
  await kv.put("blob:png", BINARY.toString("base64"), "base64");
  for (let i = 0; i < 60; i++) await kv.put(item(i), `value ${i}`);

  await page.goto("/dashboard/apps/store/kv");
  await expect(page.getByRole("heading", { name: "Key-value store" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Quota use" })).toContainText("63 of");
  await expect(keyButton(page, "blob:png")).toBeVisible();

  // Browse by prefix, 50 keys a page.
  await filter(page, "item:");
  const rows = page.getByRole("table", { name: "Keys" }).locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(item(0));
  await expect(rows.last()).toContainText(item(49));
  await expect(page.getByText("Page 1")).toBeVisible();
  // A key far down the page shows its value where the user is looking.
  await keyButton(page, item(47)).click();
  await expect(page.getByRole("heading", { name: item(47) })).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath("1b-value-beside-row-47.png") });
  await shot(page, "1-prefix-page-1");
  await page.getByRole("button", { name: "Next →" }).click();
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText(item(50));
  await expect(rows.last()).toContainText(item(59));
  await expect(page.getByText("Page 2")).toBeVisible();
  await expect(page.getByRole("button", { name: "Next →" })).toBeDisabled();
  await page.getByRole("button", { name: "← Previous" }).click();
  await expect(rows.first()).toContainText(item(0));

  // JSON is shown pretty-printed.
  await filter(page, "profile:");
  await keyButton(page, "profile:ada").click();
  const value = page.getByTestId("kv-value");
  await expect(page.getByRole("button", { name: "JSON" })).toHaveAttribute("aria-pressed", "true");
  await expect(value).toHaveText(JSON.stringify(PROFILE, null, 2));
  await shot(page, "2-json-value");

  // Binary as a hex dump, and as base64.
  await filter(page, "");
  await keyButton(page, "blob:png").click();
  await expect(page.getByRole("button", { name: "hex" })).toHaveAttribute("aria-pressed", "true");
  await expect(value).toHaveText(/^0000\s+89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52\s+\.PNG\.{8}IHDR\s+0010\s+00 ff\s+\.\.$/);
  // The whole line (offset, hex and ASCII) is visible without scrolling sideways.
  expect(await value.evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true);
  await expect(page.getByRole("button", { name: "JSON" })).toBeDisabled();
  await shot(page, "3-binary-hex");
  await page.getByRole("button", { name: "base64" }).click();
  await expect(value).toHaveText(BINARY.toString("base64"));

  // Edit a value.
  await keyButton(page, "greeting").click();
  await expect(value).toHaveText("hello, world");
  const panel = page.getByRole("region", { name: "greeting" });
  await panel.getByRole("button", { name: "Edit" }).click();
  await panel.getByLabel("Value").fill("hello, edited");
  await shot(page, "4-editing");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(value).toHaveText("hello, edited");
  expect((await kv.get("greeting")).entry).toMatchObject({ value: "hello, edited", encoding: "utf8" });

  // Add a key with a TTL.
  const add = page.getByRole("region", { name: "Add a key" });
  await add.getByLabel("Key").fill("note:new");
  await add.getByLabel("Value").fill('{"added":true}');
  await add.getByLabel("Expires after (seconds, optional)").fill("3600");
  await add.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByRole("heading", { name: "note:new" })).toBeVisible();
  await expect(value).toHaveText('{\n  "added": true\n}');
  await filter(page, "note:");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(/in (60 min|1 h)/);
  const added = (await kv.get("note:new")).entry;
  expect(added).toMatchObject({ value: '{"added":true}' });
  expect(added?.expiresAt).not.toBeNull();

  // Adding a key the store has asks before replacing its value: Escape keeps it, confirming replaces it.
  await add.getByLabel("Key").fill("note:new");
  await add.getByLabel("Value").fill("replaced");
  await add.getByRole("button", { name: "Add key" }).click();
  const replace = page.getByRole("alertdialog", { name: "Confirm replacing a value" });
  await expect(replace).toContainText('Replace the value of "note:new"?');
  await expect(replace.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(replace).toHaveCount(0);
  expect((await kv.get("note:new")).entry).toMatchObject({ value: '{"added":true}' });
  await add.getByRole("button", { name: "Add key" }).click();
  await replace.getByRole("button", { name: "Replace the value" }).click();
  await expect(replace).toHaveCount(0);
  await expect(value).toHaveText("replaced");
  expect((await kv.get("note:new")).entry).toMatchObject({ value: "replaced" });

  // Delete one key (the browser asks first).
  await filter(page, "");
  await keyButton(page, "greeting").click();
  await page.getByRole("region", { name: "greeting" }).getByRole("button", { name: "Delete key" }).click();
  await page.getByRole("alertdialog", { name: 'Delete the key "greeting"?' }).getByRole("button", { name: "Delete the key" }).click();
  await expect(keyButton(page, "greeting")).toHaveCount(0);
  expect((await kv.get("greeting")).status).toBe(404);

  // Bulk delete by prefix: only after typing the prefix.
  await filter(page, "item:");
  await expect(rows).toHaveCount(50);
  await page.getByRole("button", { name: 'Delete every key starting with "item:"…' }).click();
  const confirm = page.getByRole("button", { name: "Delete keys" });
  await expect(confirm).toBeDisabled();
  await page.getByLabel("Type item: to confirm").fill("item");
  await expect(confirm).toBeDisabled();
  await page.getByLabel("Type item: to confirm").fill("item:");
  await shot(page, "5-bulk-confirm");
  await confirm.click();
  await expect(page.getByRole("status")).toHaveText('Deleted 60 keys starting with "item:".');
  await expect(page.getByText('No keys start with "item:".')).toBeVisible();
  expect(await kv.keys("item:")).toEqual([]);
  expect(await kv.keys("")).toEqual(["blob:png", "note:new", "profile:ada"]);
  await filter(page, "");
  await expect(rows).toHaveCount(3);
  await expect(page.getByRole("region", { name: "Quota use" })).toContainText("3 of");
  await shot(page, "6-after-bulk-delete");
});
