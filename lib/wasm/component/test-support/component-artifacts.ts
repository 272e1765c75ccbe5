// The packed artifacts of fixture components (fixtures/component), made as publish makes them:
// transpiled once, each core module capped at the fixture's memoryMb. Node only.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packComponentArtifact } from "../artifact";
import { artifactKey, type ComponentFixture } from "../component-cases";
import { transpileComponent } from "../transpile";

const FIXTURES = path.resolve(import.meta.dirname, "../../../../fixtures/component");

export function fixtureComponent(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, `${name}.component.wasm`)));
}

export async function componentArtifacts(fixtures: ComponentFixture[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const f of fixtures) {
    const artifact = await transpileComponent(fixtureComponent(f.name), f.memoryMb !== undefined ? { memoryMb: f.memoryMb } : {});
    out.set(artifactKey(f), packComponentArtifact(artifact));
  }
  return out;
}
