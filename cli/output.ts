// Human output helpers: aligned tables, sizes, times. Machine output is plain JSON on stdout.

export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Left-aligned columns separated by two spaces; the header row is upper-case. */
export function table(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [header.map((h) => h.toUpperCase()), ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === "" ? "-" : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

/** Key/value lines with the keys aligned. */
export function fields(pairs: [string, string | number | null | undefined][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(width)}  ${v === null || v === undefined || v === "" ? "-" : v}`).join("\n") + "\n";
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) (v /= 1024), u++;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** `2025-11-26 01:40` in local time: sortable, short, unambiguous enough for a terminal. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function shortHash(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 12) : "-";
}

export function routeLabel(route: string): string {
  return route === "" ? "(default)" : route;
}
