import { describe, expect, it } from 'vitest';
import { type LatencySpec, medianLatency, sampleLatency } from '../../src/net/latency.js';
import { percentile } from '../../src/metrics/percentiles.js';
import { createRng } from '../../src/sim/rng.js';

function samples(spec: LatencySpec, n = 20_000): number[] {
  const rng = createRng('latency');
  return Array.from({ length: n }, () => sampleLatency(spec, rng)).sort((a, b) => a - b);
}

describe('latency distributions', () => {
  const specs: LatencySpec[] = [
    { kind: 'constant', value: 1000 },
    { kind: 'uniform', min: 500, max: 1500 },
    { kind: 'normal', mean: 1000, stddev: 300 },
    { kind: 'lognormal', median: 1000, sigma: 0.8 },
    { kind: 'pareto', scale: 700, shape: 2 },
  ];

  for (const spec of specs) {
    it(`${spec.kind}: integer microseconds, never negative, median as documented`, () => {
      const drawn = samples(spec);
      expect(drawn.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      const median = percentile(drawn, 50);
      expect(Math.abs(median - medianLatency(spec)) / medianLatency(spec)).toBeLessThan(0.05);
    });
  }

  it('truncates a normal with a mean near zero at zero instead of going negative', () => {
    const drawn = samples({ kind: 'normal', mean: 100, stddev: 1000 });
    expect(drawn[0]).toBeGreaterThanOrEqual(0);
  });

  it('keeps a uniform draw within its bounds', () => {
    const drawn = samples({ kind: 'uniform', min: 5000, max: 15000 });
    expect(drawn[0]).toBeGreaterThanOrEqual(5000);
    expect(drawn[drawn.length - 1]).toBeLessThanOrEqual(15000);
  });

  it('gives pareto a heavy tail', () => {
    const drawn = samples({ kind: 'pareto', scale: 1000, shape: 1.5 });
    expect(percentile(drawn, 99.9)).toBeGreaterThan(20 * percentile(drawn, 50));
  });
});
