// Node's run of the component case list (component-cases.ts); e2e/wasm-host runs the same list in
// Chromium on the same artifacts.
import { beforeAll, describe, expect, it } from "vitest";
import { COMPONENT_CASES, artifactKey, componentCaseFixtures } from "./component-cases";
import { loadComponent, type LoadedComponent } from "./run-component";
import { componentArtifacts } from "./test-support/component-artifacts";

const loaded = new Map<string, LoadedComponent>();

beforeAll(async () => {
  for (const [key, bytes] of await componentArtifacts(componentCaseFixtures())) loaded.set(key, loadComponent(bytes));
}, 60_000);

describe("WASI 0.2 component cases", () => {
  for (const c of COMPONENT_CASES) {
    it(c.name, () => {
      expect(c.run(loaded.get(artifactKey(c.fixture))!)).toEqual(c.expected);
    });
  }
});
