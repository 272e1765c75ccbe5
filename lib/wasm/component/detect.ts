// A WebAssembly binary's preamble says what it is: "\0asm" then a version and a layer (two u16,
// little-endian). Core modules are version 1, layer 0; components (the component model's binary
// format, what cargo-component, componentize-js and wasm-tools produce) are layer 1.
const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const COMPONENT_LAYER = 1;

export type WasmBinaryKind = "module" | "component" | "unknown";

export function wasmBinaryKind(bytes: Uint8Array): WasmBinaryKind {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return "unknown";
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === COMPONENT_LAYER) return "component";
  const version = bytes[4]! | (bytes[5]! << 8);
  return layer === 0 && version === 1 ? "module" : "unknown";
}

export function isComponentBinary(bytes: Uint8Array): boolean {
  return wasmBinaryKind(bytes) === "component";
}
