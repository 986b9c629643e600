import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/sim/rng.js';

const draws = (rng: ReturnType<typeof createRng>, n = 5) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same stream for the same seed', () => {
    expect(draws(createRng(42))).toEqual(draws(createRng(42)));
  });

  it('gives different streams for different seeds', () => {
    expect(draws(createRng(1))).not.toEqual(draws(createRng(2)));
  });

  it('forks named streams that do not depend on draws from the parent or siblings', () => {
    const a = createRng(7);
    const network = a.fork('network');
    const expected = draws(network);
    const b = createRng(7);
    draws(b, 100);
    b.fork('workload').next();
    expect(draws(b.fork('network'))).toEqual(expected);
  });

  it('draws integers within bounds, inclusive', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const value = rng.int(2, 5);
      expect(value).toBeGreaterThanOrEqual(2);
      expect(value).toBeLessThanOrEqual(5);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('shuffles without losing elements', () => {
    const shuffled = createRng(9).shuffle([1, 2, 3, 4, 5, 6]);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
