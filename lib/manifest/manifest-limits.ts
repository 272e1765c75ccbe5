// The size and count limits of wasmcompute.yaml (docs/manifest.md, "Limits"), checked before and
// while the YAML is parsed, in time linear in the text: its bytes first, then flow nesting on the
// raw text, then nesting, keys, list entries and aliases on yaml's concrete syntax tree (a flat
// token walk), and only then the full parse, whose duplicate-key check costs keys² per mapping.
// The console's publish, the IDE (lib/editor) and the CLI (cli/manifest.ts) all read manifests
// through readManifestYaml, so they refuse the same documents with the same words.
// Isomorphic and free of "@/" imports: the CLI loads it by relative path, the IDE in the browser.
import { CST, Parser, parseDocument } from "yaml";

export const MANIFEST_LIMITS = {
  /** UTF-8 bytes of the whole file. */
  bytes: 64 * 1024,
  /** Mappings and lists inside one another (routes → a route → its path is 3). */
  depth: 8,
  /** Keys of any one mapping. */
  keys: 100,
  /** Entries of any one list. */
  items: 1000,
  /** Alias nodes (*name) in the document. */
  aliases: 50,
  routes: 100,
  /** Variables under env: (as many as the env API allows an app, ENV_MAX_VARS). */
  env: 100,
  static: 50,
  datastores: 20,
  files: 1000,
  schedules: 20,
} as const;

/** What the top-level keys hold, for messages: "env: 20000 variables; at most 100". */
const FIELD_LIMITS: Record<string, { limit: number; noun: string }> = {
  routes: { limit: MANIFEST_LIMITS.routes, noun: "routes" },
  env: { limit: MANIFEST_LIMITS.env, noun: "variables" },
  static: { limit: MANIFEST_LIMITS.static, noun: "static mounts" },
  datastores: { limit: MANIFEST_LIMITS.datastores, noun: "datastores" },
  files: { limit: MANIFEST_LIMITS.files, noun: "entries" },
  schedules: { limit: MANIFEST_LIMITS.schedules, noun: "schedules" },
};

/** The raw-text flow nesting past which the CST is not even built (well above `depth`: brackets in plain text count too). */
const RAW_FLOW_DEPTH = 64;

export type ManifestProblemKind = "too-large" | "limit" | "yaml";

/** Why wasmcompute.yaml's text was refused; callers add "wasmcompute.yaml" and the line their way. */
export class ManifestTextError extends Error {
  constructor(
    readonly kind: ManifestProblemKind,
    message: string,
    readonly line?: number,
    readonly col?: number,
  ) {
    super(message);
    this.name = "ManifestTextError";
  }
}

export function manifestTooLargeMessage(bytes?: number): string {
  const size = bytes === undefined ? "larger than 64 KiB" : `${bytes} bytes`;
  return `wasmcompute.yaml is ${size}; a manifest is at most ${MANIFEST_LIMITS.bytes} bytes (64 KiB). Keep data in files (files:) and secrets in the env API.`;
}

/** UTF-8 length of `text`, counting no further than `stop`. */
function utf8Length(text: string, stop: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stop; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Refuses flow collections nested absurdly deep before yaml's parser sees them (it slows with depth). */
function checkRawFlowDepth(text: string): void {
  let depth = 0;
  let quote: '"' | "'" | null = null;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === "\n") comment = false;
    } else if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = null;
    } else if (quote === "'") {
      if (c === "'") quote = null; // '' (an escaped quote) closes and reopens: the same to a counter
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (c === "[" || c === "{") {
      if (++depth > RAW_FLOW_DEPTH) throw tooDeep(text, i);
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
}

function tooDeep(text: string, offset: number): ManifestTextError {
  return new ManifestTextError("limit", `nested more than ${MANIFEST_LIMITS.depth} levels deep (mappings and lists inside one another); at most ${MANIFEST_LIMITS.depth}`, lineOf(text, offset));
}

type Token = CST.Token;
type Item = CST.CollectionItem;

function itemsOf(token: Token): Item[] | null {
  return token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection" ? (token.items as Item[]) : null;
}

function isMapping(token: Token): boolean {
  return token.type === "block-map" || (token.type === "flow-collection" && token.start.source === "{");
}

function keyName(key: Token | null | undefined): string | undefined {
  if (!key || !CST.isScalar(key)) return undefined;
  // onError: a key yaml will refuse anyway (the full parse reports it) names nothing here.
  const resolved = CST.resolveAsScalar(key, false, () => {});
  return resolved ? resolved.value : undefined;
}

/** Walks every document's concrete syntax tree once (no recursion: a list of what is left), counting as it goes. */
function checkStructure(text: string): void {
  let aliases = 0;
  // path: where the token is, as messages name fields ("env", "routes[3]"); depth 1 is the document's value.
  const pending: { token: Token; depth: number; path: string }[] = [];
  for (const token of new Parser().parse(text)) if (token.type === "document" && token.value) pending.push({ token: token.value, depth: 1, path: "" });
  while (pending.length) {
    const { token, depth, path } = pending.pop()!;
    const at = (offset: number) => lineOf(text, offset);
    const prefix = path ? `${path}: ` : "";
    if (token.type === "alias" && ++aliases > MANIFEST_LIMITS.aliases) {
      throw new ManifestTextError("limit", `more than ${MANIFEST_LIMITS.aliases} aliases (*name); at most ${MANIFEST_LIMITS.aliases}`, at(token.offset));
    }
    const items = itemsOf(token);
    if (!items) continue;
    if (depth > MANIFEST_LIMITS.depth) throw tooDeep(text, token.offset);
    const entries = items.filter((item) => item.key != null || item.value != null || item.sep != null);
    const mapping = isMapping(token);
    const field = depth === 2 ? FIELD_LIMITS[path] : undefined;
    if (field && entries.length > field.limit) {
      throw new ManifestTextError("limit", `${path}: ${entries.length} ${field.noun}; at most ${field.limit}`, at(token.offset));
    }
    if (mapping && entries.length > MANIFEST_LIMITS.keys) {
      throw new ManifestTextError("limit", `${prefix}a mapping with ${entries.length} keys; at most ${MANIFEST_LIMITS.keys}`, at(token.offset));
    }
    if (!mapping && entries.length > MANIFEST_LIMITS.items) {
      throw new ManifestTextError("limit", `${prefix}a list with ${entries.length} entries; at most ${MANIFEST_LIMITS.items}`, at(token.offset));
    }
    entries.forEach((item, i) => {
      const name = mapping ? (keyName(item.key) ?? "?") : undefined;
      const childPath = name === undefined ? `${path}[${i}]` : path ? `${path}.${name}` : name;
      if (item.key) pending.push({ token: item.key, depth: depth + 1, path: childPath });
      if (item.value) pending.push({ token: item.value, depth: depth + 1, path: childPath });
    });
  }
}

/** The first string (key or value) holding a NUL, as a path like `env.A` or `routes[0].path`. */
export function findNul(value: unknown): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (pending.length) {
    const { value: v, path } = pending.pop()!;
    if (typeof v === "string") {
      if (v.includes("\0")) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => pending.push({ value: item, path: `${path}[${i}]` }));
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        const at = path ? `${path}.${k}` : k;
        if (k.includes("\0")) return at;
        pending.push({ value: item, path: at });
      }
    }
  }
  return undefined;
}

/**
 * wasmcompute.yaml's text as plain data, refused with a ManifestTextError past MANIFEST_LIMITS,
 * on invalid YAML (duplicate keys included) or with a NUL anywhere (no text column or environment
 * variable can hold one). Takes time linear in the text; an empty document is null.
 */
export function readManifestYaml(text: string): unknown {
  const bytes = utf8Length(text, MANIFEST_LIMITS.bytes);
  if (bytes > MANIFEST_LIMITS.bytes) throw new ManifestTextError("too-large", manifestTooLargeMessage(utf8Length(text, Infinity)));
  checkRawFlowDepth(text);
  checkStructure(text);
  // Within the limits above, the duplicate-key check (keys² per mapping) is at most 100² steps.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    throw new ManifestTextError("yaml", yamlError.message.split("\n")[0]!, pos?.line, pos?.col);
  }
  let value: unknown;
  try {
    // toJS resolves aliases: an unknown one, or an alias bomb (yaml's maxAliasCount), throws here.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ManifestTextError("yaml", reason.split("\n")[0]!);
  }
  const nul = findNul(value);
  if (nul !== undefined) throw new ManifestTextError("limit", `${nul ? `${nul}: ` : ""}must not contain a NUL character (\\0)`);
  return value;
}
