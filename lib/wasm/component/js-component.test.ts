// A JavaScript handler built by componentize-js (StarlingMonkey, 13 MB) runs through our WASI 0.2
// host: the request arrives whole, console.log reaches the logs (the run's stderr), and every request gets a fresh
// instance.
import { beforeAll, describe, expect, it } from "vitest";
import { jsComponent } from "@/lib/testing/js-component";
import { transpileComponent } from "./transpile";
import { loadComponent, runComponent, type LoadedComponent } from "./run-component";

let component: LoadedComponent;

beforeAll(async () => {
  const bytes = await jsComponent("fixtures/component/js-hello/app.js");
  component = loadComponent(await transpileComponent(bytes, { memoryMb: 256 }));
}, 180_000);

const request = (method: string, url: string, body = "") => ({
  method,
  url,
  headers: [["content-type", "text/plain"]] as [string, string][],
  body: new TextEncoder().encode(body),
  remoteAddr: "203.0.113.9",
  route: "/...",
});

describe("a componentize-js component", () => {
  it("answers with the method, path, query and body it was sent", () => {
    const r = runComponent({ component, request: request("POST", "http://hello.localhost/items/7?color=red", "ping") });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(200);
    expect(new TextDecoder().decode(r.body)).toBe('Hello from JavaScript: POST /items/7?color=red body="ping" served=1\n');
    expect(r.headers).toContainEqual(["x-handler", "componentize-js"]);
    // Its console writes to wasi:cli/stdout, which is the app's logs (as stderr is a module's).
    expect(r.stderr).toContain("js-hello: POST /items/7");
  });

  it("serves each request from a fresh instance", () => {
    for (let i = 0; i < 3; i++) {
      const r = runComponent({ component, request: request("GET", "http://hello.localhost/") });
      expect(new TextDecoder().decode(r.body)).toContain("served=1");
    }
  });
});
