// How the console shows a stored value: text, pretty JSON, hex or base64 (binary values
// arrive base64-encoded from the API). Pure functions, shared by the browser and tests.
export type ValueView = "text" | "json" | "hex" | "base64";

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function valueBytes(value: string, encoding: "utf8" | "base64"): Uint8Array {
  return encoding === "utf8" ? new TextEncoder().encode(value) : base64ToBytes(value);
}

/** The view that suits a value best: JSON when it parses as an object or array, text, else hex. */
export function defaultView(value: string, encoding: "utf8" | "base64"): ValueView {
  if (encoding === "base64") return "hex";
  return prettyJson(value) !== null ? "json" : "text";
}

export function prettyJson(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

/**
 * 16 bytes a line: offset, hex, ASCII. The offset has as many hex digits as the largest one shown
 * needs (at least 4), so a line fits the console's value panel without scrolling sideways.
 */
export function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  const shown = Math.min(bytes.length, max);
  const digits = Math.max(4, Math.max(0, shown - 1).toString(16).length);
  for (let i = 0; i < shown; i += 16) {
    const row = bytes.subarray(i, Math.min(i + 16, shown));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${i.toString(16).padStart(digits, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join("\n");
}

export function render(value: string, encoding: "utf8" | "base64", view: ValueView): string {
  const bytes = valueBytes(value, encoding);
  switch (view) {
    case "json":
      return (encoding === "utf8" && prettyJson(value)) || value;
    case "hex":
      return hexDump(bytes);
    case "base64":
      return encoding === "base64" ? value : bytesToBase64(bytes);
    default:
      return encoding === "utf8" ? value : new TextDecoder().decode(bytes);
  }
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** When a key expires, short enough for a table cell ("in 59 min"); the full time goes in a tooltip. */
export function formatExpiry(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (seconds <= 0) return "expired";
  if (seconds < 90) return `in ${seconds} s`;
  if (seconds < 90 * 60) return `in ${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `in ${Math.round(seconds / 3600)} h`;
  return `in ${Math.round(seconds / 86400)} d`;
}
