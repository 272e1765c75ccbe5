import { Fragment } from "react";
import { splitEscapes } from "@/lib/wasm/guest-text";

const ESCAPE_TITLE = "Bytes the app wrote that are not text, each shown as \\xHH (hex)";

/**
 * A log line's text. Bytes an app wrote that are not text (a NUL, invalid UTF-8, a control
 * character) arrive as `\xHH` escapes (lib/wasm/guest-text.ts, docs/logs.md); they are set off
 * so they read as escapes rather than as characters the app printed.
 */
export function LogText({ text }: { text: string }) {
  const parts = splitEscapes(text);
  if (parts.length === 1 && !parts[0]!.escaped) return text;
  return parts.map((part, i) =>
    part.escaped ? (
      <span key={i} className="rounded-sm bg-amber-100 text-amber-900" title={ESCAPE_TITLE}>
        {part.text}
      </span>
    ) : (
      <Fragment key={i}>{part.text}</Fragment>
    ),
  );
}
