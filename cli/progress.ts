// Upload progress on stderr: one line rewritten in place on a terminal, a few plain lines otherwise
// (CI logs), never on stdout.
import { formatBytes, type Writer } from "./output";

export function createProgress(out: Writer, label: string, now: () => number = Date.now) {
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastQuarter = -1;
  let done = false;
  const line = (sent: number, total: number) =>
    `${label} ${formatBytes(sent)} / ${formatBytes(total)} (${total ? Math.floor((sent / total) * 100) : 100}%)`;

  return {
    update(sent: number, total: number): void {
      if (done) return;
      if (out.isTTY) {
        const t = now();
        if (sent < total && t - lastDraw < 100) return;
        lastDraw = t;
        out.write(`\r${line(sent, total)}\x1b[K`);
      } else {
        const quarter = total ? Math.floor((sent / total) * 4) : 4;
        if (quarter === lastQuarter || quarter === 0) return; // 25%, 50%, 75%, 100%
        lastQuarter = quarter;
        out.write(`${line(sent, total)}\n`);
      }
    },
    finish(): void {
      if (done) return;
      done = true;
      if (out.isTTY && lastDraw > Number.NEGATIVE_INFINITY) out.write("\n");
    },
  };
}
