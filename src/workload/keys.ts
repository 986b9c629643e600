/**
 * How a client picks the key of its next operation: uniformly among `keys`,
 * with a Zipf skew, or with a conflict rate (a shared hot key with
 * probability `conflictRate`, otherwise a key no other client touches).
 */
import type { ClientId } from '../api/types.js';
import type { Rng } from '../sim/rng.js';

export type KeyChoice =
  | { readonly kind: 'uniform'; readonly keys: number }
  | { readonly kind: 'zipf'; readonly keys: number; readonly exponent: number }
  | { readonly kind: 'conflict'; readonly keys: number; readonly rate: number };

/** The shared key of the conflict-rate mode. */
export const HOT_KEY = 'hot';

export class KeyChooser {
  private readonly cumulative: number[] = [];

  constructor(
    private readonly choice: KeyChoice,
    private readonly client: ClientId,
  ) {
    if (choice.kind === 'zipf') {
      let total = 0;
      for (let rank = 1; rank <= choice.keys; rank++) {
        total += 1 / Math.pow(rank, choice.exponent);
        this.cumulative.push(total);
      }
      for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i] = (this.cumulative[i] as number) / total;
    }
  }

  next(rng: Rng): string {
    const choice = this.choice;
    switch (choice.kind) {
      case 'uniform':
        return `k${rng.int(0, choice.keys - 1)}`;
      case 'zipf':
        return `k${this.zipfIndex(rng.next())}`;
      case 'conflict':
        if (rng.chance(choice.rate)) return HOT_KEY;
        return `${this.client}.k${rng.int(0, choice.keys - 1)}`;
    }
  }

  private zipfIndex(u: number): number {
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] as number) < u) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
