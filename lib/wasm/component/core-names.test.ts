// A component can name its core modules' imports and exports anything; jco writes those names into
// the glue's JavaScript unescaped. Publish refuses a component whose core names could break out of a
// string, before any glue is made.
import { parse } from "@bytecodealliance/jco";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unsafeCoreNames } from "./core-names";
import { fixtureComponent } from "./test-support/component-artifacts";
import { ComponentRejected, transpileComponent } from "./transpile";

const EVIL = "h'];globalThis.PWNED=1;//";
const q = JSON.stringify;

/** A component exporting a handler whose core function is `coreName`, reached the way `how` says. */
function hostile(how: "export" | "instance-arg" | "inline-export"): Promise<Uint8Array> {
  const core = how === "export" ? EVIL : "handle";
  const instances =
    how === "instance-arg"
      ? `(core module $dep (func (export "f")))
         (core instance $d (instantiate $dep))
         (core instance $i (instantiate $m (with ${q(EVIL)} (instance $d))))`
      : how === "inline-export"
        ? `(core instance $raw (instantiate $m))
           (core instance $i (export ${q(EVIL)} (func $raw "handle")))`
        : `(core instance $i (instantiate $m))`;
  const lifted = how === "inline-export" ? EVIL : core;
  return parse(`(component
    (core module $m
      (func (export ${q(core)}) (param i32 i32))
      (memory (export "memory") 1))
    ${instances}
    (type $f (func (param "a" u32) (param "b" u32)))
    (func $lifted (type $f) (canon lift (core func $i ${q(lifted)})))
    (instance $h (export "handle" (func $lifted)))
    (export "wasi:http/incoming-handler@0.2.0" (instance $h)))`);
}

describe("core names in the glue", () => {
  it("are written unescaped by jco: a crafted name is code (why the check exists)", async () => {
    const { files } = await transpileBytes(await hostile("export"), { name: "component", instantiation: "sync" } as never);
    expect(new TextDecoder().decode(files["component.js"])).toContain("exports0['h'];globalThis.PWNED=1;//']");
  });

  it.each(["export", "instance-arg", "inline-export"] as const)("a crafted core name (%s) is refused at publish with what it is", async (how) => {
    const bytes = await hostile(how);
    expect(unsafeCoreNames(bytes)).toEqual([EVIL]);
    const refusal = await transpileComponent(bytes).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ComponentRejected);
    expect((refusal as ComponentRejected).message).toContain(`use names WasmCompute does not accept: ${q(EVIL)}`);
    expect((globalThis as { PWNED?: number }).PWNED).toBeUndefined();
  });

  it("toolchains' names pass: every fixture component and componentize-js's shape", () => {
    const dir = path.resolve(import.meta.dirname, "../../../fixtures/component");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".component.wasm"))) {
      expect(unsafeCoreNames(fixtureComponent(file.replace(".component.wasm", ""))), file).toEqual([]);
    }
  });
});
