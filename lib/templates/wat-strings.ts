// Lays out string constants for WAT templates: one (data …) line per string and its
// (offset, length) pair, so template code can say `${s.ref("hello")}` instead of counting bytes.
const encoder = new TextEncoder();

function watEscape(value: string): string {
  let out = "";
  for (const byte of encoder.encode(value)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x0a) out += "\\n";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

export function watStrings(base: number, strings: Record<string, string>) {
  const refs: Record<string, { offset: number; length: number }> = {};
  const lines: string[] = [];
  let offset = base;
  for (const [name, value] of Object.entries(strings)) {
    const length = encoder.encode(value).length;
    refs[name] = { offset, length };
    lines.push(`  (data (i32.const ${offset}) "${watEscape(value)}") ;; $${name}: ${length} bytes`);
    offset += Math.ceil((length + 1) / 8) * 8;
  }
  return {
    data: lines.join("\n"),
    end: offset,
    /** "(i32.const offset) (i32.const length)" of a string. */
    ref(name: string): string {
      const r = refs[name];
      if (!r) throw new Error(`no WAT string named ${name}`);
      return `(i32.const ${r.offset}) (i32.const ${r.length})`;
    },
  };
}
