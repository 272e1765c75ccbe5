// The component checks' refusals that publish-component.test.ts does not reach: a transpile past its
// deadline (the worker is stopped) is a 422 asking for a smaller component, and a transpiler
// failure it does not explain stays an internal error rather than a message blaming the upload.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { helloComponent } from "@/lib/testing/component-fixtures";
import { checkComponent } from "./check-component";
import { ComponentTranspileTimeout, transpileComponentInWorker } from "./transpile-component-in-worker";

const ROUTES = [{ path: "/...", entrypoint: "_start" }];

describe("checkComponent", () => {
  it("stops a transpile past its deadline and refuses the component with a 422", async () => {
    const stopped = await transpileComponentInWorker({ bytes: helloComponent(), memoryMb: 16 }, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ComponentTranspileTimeout);

    const refused = await checkComponent({ bytes: helloComponent(), memoryMb: 16, routes: ROUTES, transpile: () => Promise.reject(stopped) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(422);
    expect((refused as AppError).message).toBe("The component could not be checked: transpiling the component took longer than 0.001 s. Publish a smaller component.");
  });

  it("keeps a failure the transpiler does not explain an internal error", async () => {
    const failed = await checkComponent({
      bytes: helloComponent(),
      memoryMb: 16,
      routes: ROUTES,
      transpile: async () => ({ ok: false, error: "RuntimeError: unreachable" }),
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(AppError);
    expect((failed as Error).message).toContain("RuntimeError: unreachable");
  });

  it("answers the artifact and the world of a component that can run", async () => {
    const checked = await checkComponent({ bytes: helloComponent(), memoryMb: 16, routes: ROUTES });
    expect(checked.world.exports).toEqual(["wasi:http/incoming-handler@0.2.0"]);
    expect(checked.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(checked.artifactSha256).not.toBe(checked.sourceSha256);
  });
});
