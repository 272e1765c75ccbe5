// What publish makes of a component, stored with the version (content-hashed like any blob) so
// that no request and no preview transpiles: jco's JavaScript glue, the core modules it
// instantiates (memory-capped like any module) and the world the component was checked against.
// One blob: a magic line, a JSON header, then the core modules' bytes back to back.
import { joinPieces } from "../wasm-binary";

const MAGIC = "wasmcompute-component/1\n";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface ComponentArtifact {
  /** jco's glue, an ES module exporting `instantiate(getCoreModule, imports, instantiateCore)`. */
  glue: string;
  /** The core modules the glue asks for by name (`getCoreModule(name)`). */
  cores: { name: string; bytes: Uint8Array }[];
  /** Interfaces the component imports, unversioned ("wasi:http/types"), and what it exports (versioned). */
  imports: string[];
  exports: string[];
  /** The jco-transpile version that made the glue (an artifact is rebuilt when this changes). */
  transpiler: string;
}

interface Header {
  glueBytes: number;
  cores: { name: string; bytes: number }[];
  imports: string[];
  exports: string[];
  transpiler: string;
}

export function isComponentArtifact(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

export function packComponentArtifact(artifact: ComponentArtifact): Uint8Array<ArrayBuffer> {
  const glue = encoder.encode(artifact.glue);
  const header: Header = {
    glueBytes: glue.length,
    cores: artifact.cores.map((c) => ({ name: c.name, bytes: c.bytes.length })),
    imports: artifact.imports,
    exports: artifact.exports,
    transpiler: artifact.transpiler,
  };
  const head = encoder.encode(MAGIC + JSON.stringify(header) + "\n");
  return joinPieces([head, glue, ...artifact.cores.map((c) => c.bytes)]);
}

export function unpackComponentArtifact(bytes: Uint8Array): ComponentArtifact {
  if (!isComponentArtifact(bytes)) throw new Error("not a packed component artifact");
  const headerEnd = bytes.indexOf(0x0a, MAGIC.length);
  if (headerEnd < 0) throw new Error("packed component artifact: header is not terminated");
  const header = JSON.parse(decoder.decode(bytes.subarray(MAGIC.length, headerEnd))) as Header;
  let at = headerEnd + 1;
  const take = (n: number) => {
    if (at + n > bytes.length) throw new Error("packed component artifact is truncated");
    const part = bytes.subarray(at, at + n);
    at += n;
    return part;
  };
  const glue = decoder.decode(take(header.glueBytes));
  const cores = header.cores.map((c) => ({ name: c.name, bytes: take(c.bytes) }));
  return { glue, cores, imports: header.imports, exports: header.exports, transpiler: header.transpiler };
}
