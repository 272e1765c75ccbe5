// console.* in the editor's AssemblyScript builds goes to the app's logs: the response stays the
// CGI answer the code wrote (before, console.log wrote into stdout and the gateway answered bad-cgi).
import asc from "assemblyscript/asc";
import { describe, expect, it } from "vitest";
import { runWagi } from "@/lib/wasm";
import { compileAssemblyScript, type AscLike } from "./compile-as";
import { findEditorTemplate } from "@/lib/templates/templates";

function run(wasm: Uint8Array) {
  const logs: { level: string; message: string }[] = [];
  const res = runWagi({
    module: new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
    request: { method: "GET", url: "http://preview.local/", headers: [["content-length", "0"]], body: new Uint8Array(0), remoteAddr: "127.0.0.1", route: "/..." },
    host: { log: (level, message) => void logs.push({ level, message }) },
  });
  return { ...res, text: new TextDecoder().decode(res.body), logs };
}

describe("console in AssemblyScript", () => {
  it("console.log before the response goes to the logs, and the answer is 200", async () => {
    const template = findEditorTemplate("hello-as")!;
    const main = template.editorFiles["main.ts"]!.replace('const req = request();', 'console.log("x");\nconsole.error("bad " + (1 + 1).toString());\nconst req = request();');
    expect(main).toContain('console.log("x")');
    const { wasm, diagnostics } = await compileAssemblyScript(asc as unknown as AscLike, { ...template.editorFiles, "main.ts": main }, "main.ts");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const res = run(wasm!);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.text).toBe("Hello from AssemblyScript!\n");
    expect(res.logs).toEqual([
      { level: "info", message: "x" },
      { level: "error", message: "bad 2" },
      { level: "info", message: "hello: GET /" },
    ]);
  });

  it("console.time/timeEnd log a duration line", async () => {
    const source = 'import { text } from "wasmcompute";\nconsole.time("t");\nconsole.timeEnd("t");\ntext("ok");\n';
    const { wasm, diagnostics } = await compileAssemblyScript(asc as unknown as AscLike, { "main.ts": source }, "main.ts");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const res = run(wasm!);
    expect(res.status).toBe(200);
    expect(res.text).toBe("ok");
    expect(res.logs).toHaveLength(1);
    expect(res.logs[0]!.message).toMatch(/^t: \d+ms$/);
  });
});
