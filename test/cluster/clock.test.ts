import { describe, expect, it } from 'vitest';
import { LocalClock } from '../../src/cluster/clock.js';

describe('LocalClock', () => {
  it('starts at its skew and runs at its rate', () => {
    const clock = new LocalClock(5000, 1.1);
    expect(clock.localAt(0)).toBe(5000);
    expect(clock.localAt(10_000)).toBe(16_000);
  });

  it('converts a local deadline into the global time it is reached', () => {
    const fast = new LocalClock(0, 2);
    expect(fast.globalWhen(100_000, 0)).toBe(50_000);
    const slow = new LocalClock(0, 0.5);
    expect(slow.globalWhen(100_000, 0)).toBe(200_000);
  });

  it('stays continuous when the rate changes', () => {
    const clock = new LocalClock(0, 1);
    clock.setRate(10_000, 3);
    expect(clock.localAt(10_000)).toBe(10_000);
    expect(clock.localAt(11_000)).toBe(13_000);
    expect(clock.globalWhen(16_000, 10_000)).toBe(12_000);
  });
});
