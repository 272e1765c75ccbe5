/**
 * Limits on a module's size and sections, checked at publish before anything compiles (issue #13:
 * a module with 100,000 imports or 999,000 functions, just under V8's own limits, held a gateway
 * process for that app), and the run-time table cap. Everything here reads section headers and
 * vector counts with wasm-binary.ts: linear in the sections, never a compile.
 *
 * Tables matter beyond compile time: a guest's `table.grow` to V8's 10,000,000 elements makes one
 * allocation of hundreds of MiB on the worker's heap, which Node cannot turn into a worker-only
 * out-of-memory: it aborts the whole gateway process, every tenant's requests with it. So the
 * gateway rewrites every table's maximum to MODULE_LIMITS.tableElements (capTables), as publish
 * does with memory, and publish refuses a table that starts above it.
 */
import { encodeU32, joinPieces, ModuleBinaryError, readSections, readVectorSection, sectionReader, spliceSection, type Section } from "./wasm-binary";

export const MODULE_LIMITS = {
  /** The module file (custom sections included: debug info counts). */
  bytes: 64 * 1024 * 1024,
  types: 20_000,
  /** Functions, tables, memories and globals imported (the platform offers about 60 functions). */
  imports: 10_000,
  /** Functions defined in the module. */
  functions: 200_000,
  tables: 8,
  /** Elements of one table: its initial size at publish, and the most `table.grow` reaches at run time. */
  tableElements: 100_000,
  globals: 50_000,
  exports: 20_000,
  dataSegments: 10_000,
  elementSegments: 10_000,
} as const;

export type ModuleLimits = typeof MODULE_LIMITS;

const SECTION = { type: 1, import: 2, function: 3, table: 4, global: 6, export: 7, element: 9, code: 10, data: 11 } as const;

/** What each counted section holds, as a sentence says it. */
const COUNTED: { section: number; limit: keyof ModuleLimits; what: string; hint: string }[] = [
  { section: SECTION.type, limit: "types", what: "function types", hint: "" },
  { section: SECTION.import, limit: "imports", what: "imports", hint: " Import each function it uses once." },
  { section: SECTION.function, limit: "functions", what: "functions", hint: " Build it with optimizations (e.g. -O2 or -Os, LTO) or split it into several apps." },
  { section: SECTION.table, limit: "tables", what: "tables", hint: "" },
  { section: SECTION.global, limit: "globals", what: "globals", hint: "" },
  { section: SECTION.export, limit: "exports", what: "exports", hint: " Export only the entrypoints and memory." },
  { section: SECTION.data, limit: "dataSegments", what: "data segments", hint: " Let the linker merge them (wasm-ld does by default)." },
  { section: SECTION.element, limit: "elementSegments", what: "element segments", hint: "" },
];

const TABLE_LIMITS_HAS_MAX = 0x01;
/** table64 (memory64 proposal): limits are u64; such tables are refused. */
const TABLE_LIMITS_64 = 0x04;

export interface TableLimits {
  /** Offset of the limits' flags byte, and the end of the limits. */
  start: number;
  end: number;
  flags: number;
  initial: number;
  maximum: number | null;
}

function readCount(bytes: Uint8Array, section: Section): number {
  return sectionReader(bytes, section).u32();
}

/** The table section's tables: reftype, then limits (flags, initial, maximum). */
export function readTables(bytes: Uint8Array, section: Section): TableLimits[] {
  const tables: TableLimits[] = [];
  readVectorSection(bytes, section, "table section", (r, i) => {
    const reftype = r.byte();
    if (reftype !== 0x70 && reftype !== 0x6f) {
      throw new ModuleBinaryError("invalid-module", `Not a valid WebAssembly module: table ${i} has an element type the platform does not run (0x${reftype.toString(16)}).`);
    }
    const start = r.offset;
    const flags = r.byte();
    if (flags & TABLE_LIMITS_64 || flags & ~(TABLE_LIMITS_HAS_MAX | TABLE_LIMITS_64)) {
      throw new ModuleBinaryError("invalid-module", `Not a valid WebAssembly module: table ${i} has limits the platform does not run (flags 0x${flags.toString(16)}).`);
    }
    const initial = r.u32();
    const maximum = flags & TABLE_LIMITS_HAS_MAX ? r.u32() : null;
    tables.push({ start, end: r.offset, flags, initial, maximum });
  });
  return tables;
}

/**
 * Every limit the module is over, as sentences a developer can act on (empty: within all of them).
 * Malformed section headers are left to the compile, which explains them better.
 */
export function checkModuleLimits(bytes: Uint8Array, limits: ModuleLimits = MODULE_LIMITS): string[] {
  const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  if (bytes.length > limits.bytes) {
    return [`The module is ${mib(bytes.length)}; the platform runs modules of at most ${mib(limits.bytes)}. Strip debug info (e.g. wasm-strip or wasm-opt --strip-debug) or build it smaller.`];
  }
  let sections: Section[];
  try {
    sections = readSections(bytes);
  } catch (error) {
    if (error instanceof ModuleBinaryError) return [];
    throw error;
  }
  const problems: string[] = [];
  try {
    for (const { section: id, limit, what, hint } of COUNTED) {
      const section = sections.find((s) => s.id === id);
      if (!section) continue;
      const count = readCount(bytes, section);
      if (count > limits[limit]) problems.push(`The module has ${count} ${what}; the platform accepts at most ${limits[limit]}.${hint}`);
    }
    const tableSection = sections.find((s) => s.id === SECTION.table);
    if (tableSection && readCount(bytes, tableSection) <= limits.tables) {
      readTables(bytes, tableSection).forEach((table, i) => {
        if (table.initial > limits.tableElements) {
          problems.push(`Table ${i} of the module starts with ${table.initial} elements; the platform allows tables of at most ${limits.tableElements}.`);
        }
      });
    }
  } catch (error) {
    if (!(error instanceof ModuleBinaryError)) throw error;
    problems.push(error.message);
  }
  return problems;
}

/**
 * The module with every table's maximum at most `maxElements` (a table without one gets it), so
 * `table.grow` fails in the guest (it returns -1) instead of making the host allocate without
 * bound; null when no table needs it (or the module has none). A table that starts above the
 * cap is left as it is (publish refuses such modules; instantiating fails on its own limits).
 */
export function capTables(bytes: Uint8Array, maxElements: number = MODULE_LIMITS.tableElements): Uint8Array<ArrayBuffer> | null {
  const sections = readSections(bytes);
  const section = sections.find((s) => s.id === SECTION.table);
  if (!section) return null;
  const tables = readTables(bytes, section);
  const capped = tables.filter((t) => t.initial <= maxElements && (t.maximum === null || t.maximum > maxElements));
  if (capped.length === 0) return null;
  const replacements = capped.map((t) => ({ start: t.start, end: t.end, bytes: [TABLE_LIMITS_HAS_MAX, ...encodeU32(t.initial), ...encodeU32(maxElements)] }));
  return joinPieces([bytes.subarray(0, section.start), ...spliceSection(bytes, section, replacements), bytes.subarray(section.end)]);
}

/** Names of the functions a module exports, read from its export section (no compile). */
export function exportedFunctionNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  const section = readSections(bytes).find((s) => s.id === SECTION.export);
  if (!section) return names;
  const r = sectionReader(bytes, section);
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const name = r.name();
    const kind = r.byte();
    r.u32();
    if (kind === 0x00) names.add(name);
  }
  return names;
}
