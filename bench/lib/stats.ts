/** Small, dependency-free statistics and table printing for benchmarks. */

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;
export const ratio = (subject: number, baseline: number) => `${(subject / baseline).toFixed(2)}×`;

/** Print rows as an aligned table. */
export function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

export const now = () => performance.now();

/**
 * Median over `reps` runs of `ops` operations, after one warm-up run of a tenth of them:
 * ms per operation. For CPU-bound microbenchmarks (no awaits inside `run`).
 */
export function medianPerOp(reps: number, ops: number, run: (ops: number) => void): number {
  run(Math.max(1, Math.floor(ops / 10)));
  const perOp: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = now();
    run(ops);
    perOp.push((now() - start) / ops);
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)]!;
}
