/**
 * A node's local clock: a piecewise-linear function of global time with an
 * initial skew (offset) and a rate (1 = true time, 1.05 = five percent fast).
 * Timers are set in local time; the host converts their deadlines to global time.
 */
import type { Micros } from '../api/types.js';

export class LocalClock {
  private anchorGlobal = 0;
  private anchorLocal: number;

  constructor(
    skew: Micros,
    private rate: number,
  ) {
    this.anchorLocal = skew;
  }

  get currentRate(): number {
    return this.rate;
  }

  /** Local time at global time `global`. */
  localAt(global: Micros): Micros {
    return Math.floor(this.anchorLocal + (global - this.anchorGlobal) * this.rate);
  }

  /** The first global time at which the local clock reads at least `local`. */
  globalWhen(local: Micros, notBefore: Micros): Micros {
    const global = Math.ceil(this.anchorGlobal + (local - this.anchorLocal) / this.rate);
    return Math.max(global, notBefore);
  }

  /** Changes the rate from global time `now` on; the local time stays continuous. */
  setRate(now: Micros, rate: number): void {
    this.anchorLocal = this.anchorLocal + (now - this.anchorGlobal) * this.rate;
    this.anchorGlobal = now;
    this.rate = rate;
  }
}
