/**
 * Seeded random streams. One root seed; every purpose (network, workload,
 * nemesis, each node) forks its own named stream, so adding a client does not
 * shift the network's draws. Backed by seedrandom's Alea generator (fast and
 * well distributed); nothing here ever draws without a seed.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new array with the same elements in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream named `name` under this one. */
  fork(name: string): Rng;
  /** The seed string this stream was made from. */
  readonly seed: string;
}

export function createRng(seed: string | number): Rng {
  return new AleaRng(String(seed));
}

class AleaRng implements Rng {
  private readonly generator: () => number;

  constructor(readonly seed: string) {
    this.generator = seedrandom.alea(seed);
  }

  next(): number {
    return this.generator();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.generator() * (max - min + 1));
  }

  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.generator() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.generator() * items.length)] as T;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const result = [...items];
    for (let i = result.length - 1; i > 0; i--) {
      const j = Math.floor(this.generator() * (i + 1));
      const swap = result[i] as T;
      result[i] = result[j] as T;
      result[j] = swap;
    }
    return result;
  }

  fork(name: string): Rng {
    return new AleaRng(`${this.seed}/${name}`);
  }
}
