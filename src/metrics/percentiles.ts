/** Order statistics by the nearest-rank method: p50 of [1,2,3,4] is 2, p100 the max. */

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
  readonly min: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Summarises samples; `scale` divides every figure (e.g. 1000 for µs → ms). */
export function distribution(samples: readonly number[], scale = 1): Distribution {
  if (samples.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, mean: 0, max: 0, min: 0 };
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  let sum = 0;
  for (const value of list) sum += value;
  const round = (value: number) => Math.round((value / scale) * 1000) / 1000;
  return {
    count: list.length,
    p50: round(percentile(list, 50)),
    p90: round(percentile(list, 90)),
    p99: round(percentile(list, 99)),
    mean: round(sum / list.length),
    max: round(list[list.length - 1] as number),
    min: round(list[0] as number),
  };
}
