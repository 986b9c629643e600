/**
 * The event queue: a binary min-heap ordered by (time, insertion sequence).
 * Two events at the same microsecond run in the order they were scheduled,
 * which is what makes a run reproducible.
 */
import type { Micros } from '../api/types.js';

export class EventQueue<E> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: E[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: Micros, item: E): void {
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    const seq = this.nextSeq++;
    let index = items.length;
    times.push(time);
    seqs.push(seq);
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent] as number;
      if (parentTime < time || (parentTime === time && (seqs[parent] as number) < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent] as number;
      items[index] = items[parent] as E;
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    items[index] = item;
  }

  /** The time of the earliest event, or undefined when empty. */
  peekTime(): Micros | undefined {
    return this.times[0];
  }

  /** Removes and returns the earliest event; `lastTime` holds its time. */
  pop(): E | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const times = this.times;
    const seqs = this.seqs;
    const top = items[0] as E;
    this.lastTime = times[0] as number;
    const lastItem = items.pop() as E;
    const lastTime = times.pop() as number;
    const lastSeq = seqs.pop() as number;
    const size = items.length;
    if (size > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) break;
        const right = left + 1;
        let child = left;
        if (right < size) {
          const lt = times[left] as number;
          const rt = times[right] as number;
          if (rt < lt || (rt === lt && (seqs[right] as number) < (seqs[left] as number))) child = right;
        }
        const ct = times[child] as number;
        if (lastTime < ct || (lastTime === ct && lastSeq < (seqs[child] as number))) break;
        times[index] = ct;
        seqs[index] = seqs[child] as number;
        items[index] = items[child] as E;
        index = child;
      }
      times[index] = lastTime;
      seqs[index] = lastSeq;
      items[index] = lastItem;
    }
    return top;
  }

  /** The time of the event last returned by `pop`. */
  lastTime: Micros = 0;
}
