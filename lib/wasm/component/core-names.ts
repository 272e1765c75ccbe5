// jco writes a component's core-level names (the import and export names of its core modules,
// the arguments and inline exports of its core instances, the names its aliases take) into the
// glue's JavaScript as they are, inside quotes: a core export named `h'];process.exit();//` would
// be code in the gateway's worker. The component model validates only component-level names
// (kebab-case); core names are any UTF-8. So before transpiling, every core name in the component
// (nested components too) must be plain: ASCII letters, digits and punctuation that cannot end a
// string, a comment or a template in JavaScript.
import { Reader, readSections, type Section } from "../wasm-binary";

const SAFE_NAME = /^[A-Za-z0-9_\-.:/@#|[\]<>%+=,;!?()^~&$ ]*$/;

const SECTION = { coreModule: 1, coreInstance: 2, component: 4, alias: 6 } as const;
const CORE_SORT_INSTANCE = 0x12;

/** Core names of `component` that are not plain (see above), at most `limit` of them. */
export function unsafeCoreNames(component: Uint8Array, limit = 5): string[] {
  const found: string[] = [];
  const check = (name: string) => {
    if (!SAFE_NAME.test(name) && found.length < limit && !found.includes(name)) found.push(name);
  };
  walkComponent(component, check);
  return found;
}

function componentSections(bytes: Uint8Array): Section[] {
  // readSections expects a core module's header: check the component's, then read from byte 8.
  const header = bytes.subarray(0, 8);
  const fakeModule = new Uint8Array(bytes.length);
  fakeModule.set(bytes);
  fakeModule.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], 0);
  if (header[0] !== 0x00 || header[1] !== 0x61 || header[2] !== 0x73 || header[3] !== 0x6d) throw new Error("not a WebAssembly binary");
  return readSections(fakeModule);
}

function walkComponent(bytes: Uint8Array, check: (name: string) => void): void {
  for (const section of componentSections(bytes)) {
    const content = bytes.subarray(section.contentStart, section.end);
    switch (section.id) {
      case SECTION.coreModule:
        coreModuleNames(content, check);
        break;
      case SECTION.component:
        walkComponent(content, check);
        break;
      case SECTION.coreInstance:
        coreInstanceNames(new Reader(content), check);
        break;
      case SECTION.alias:
        aliasNames(new Reader(content), check);
        break;
    }
  }
}

function coreModuleNames(module: Uint8Array, check: (name: string) => void): void {
  // Compiling validates the module and lists its names; it is compiled again at load anyway.
  const compiled = new WebAssembly.Module(module as Uint8Array<ArrayBuffer>);
  for (const i of WebAssembly.Module.imports(compiled)) {
    check(i.module);
    check(i.name);
  }
  for (const e of WebAssembly.Module.exports(compiled)) check(e.name);
}

// core:instance ::= 0x00 moduleidx vec(name 0x12 instanceidx) | 0x01 vec(name sort idx)
function coreInstanceNames(r: Reader, check: (name: string) => void): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const kind = r.byte();
    if (kind === 0x00) {
      r.u32();
      const args = r.u32();
      for (let a = 0; a < args; a++) {
        check(r.name());
        if (r.byte() !== CORE_SORT_INSTANCE) throw new Error("core instantiate argument is not an instance");
        r.u32();
      }
    } else if (kind === 0x01) {
      const exports = r.u32();
      for (let e = 0; e < exports; e++) {
        check(r.name());
        r.byte();
        r.u32();
      }
    } else {
      throw new Error(`unknown core instance kind 0x${kind.toString(16)}`);
    }
  }
}

// alias ::= sort target; sort ::= 0x00 coresort | other byte;
// target ::= 0x00 instanceidx name | 0x01 coreinstanceidx corename | 0x02 outer-count idx
function aliasNames(r: Reader, check: (name: string) => void): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    if (r.byte() === 0x00) r.byte();
    const target = r.byte();
    if (target === 0x00 || target === 0x01) {
      r.u32();
      check(r.name());
    } else if (target === 0x02) {
      r.u32();
      r.u32();
    } else {
      throw new Error(`unknown alias target 0x${target.toString(16)}`);
    }
  }
}
