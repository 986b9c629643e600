import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { EventQueue } from '../../src/sim/queue.js';

describe('EventQueue', () => {
  it('pops in time order, and in insertion order within one time', () => {
    const queue = new EventQueue<string>();
    queue.push(20, 'c');
    queue.push(10, 'a');
    queue.push(20, 'd');
    queue.push(10, 'b');
    queue.push(5, 'first');
    const order: string[] = [];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) order.push(item);
    expect(order).toEqual(['first', 'a', 'b', 'c', 'd']);
  });

  it('reports the time of the earliest event and of the last popped one', () => {
    const queue = new EventQueue<number>();
    expect(queue.peekTime()).toBeUndefined();
    queue.push(7, 1);
    queue.push(3, 2);
    expect(queue.peekTime()).toBe(3);
    queue.pop();
    expect(queue.lastTime).toBe(3);
    expect(queue.size).toBe(1);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 })])('matches a stable sort by time', (times) => {
    const queue = new EventQueue<number>();
    times.forEach((time, index) => queue.push(time, index));
    const expected = times.map((time, index) => ({ time, index })).sort((a, b) => a.time - b.time || a.index - b.index);
    const popped: number[] = [];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) popped.push(item);
    expect(popped).toEqual(expected.map((e) => e.index));
  });
});
