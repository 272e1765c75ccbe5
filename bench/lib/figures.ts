/**
 * The headline figures of a benchmark, printed as one marked line each so that `npm run bench`
 * (bench/run.ts) can gather every file's figures into one table at the end.
 */
export interface Figure {
  /** What is measured, e.g. "gateway hello ÷ plain node:http req/s". */
  name: string;
  value: number;
  /** "×" for ratios, "ms", "µs", "MiB"… */
  unit: string;
  /** The goal it is held to, when there is one, e.g. "≥ 0.5". */
  goal?: string;
}

export const FIGURE_MARK = "##figure ";

export function reportFigure(figure: Figure): void {
  console.log(FIGURE_MARK + JSON.stringify(figure));
}
