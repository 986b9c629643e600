/** A bounded ring of the most recent events, kept so a failure can show its context without a trace file. */
export class RecentEvents<E> {
  private readonly ring: (E | undefined)[];
  private next = 0;
  private filled = false;

  constructor(readonly capacity: number) {
    this.ring = new Array<E | undefined>(capacity);
  }

  push(event: E): void {
    if (this.capacity === 0) return;
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    if (this.next === 0) this.filled = true;
  }

  /** Oldest first. */
  toArray(): E[] {
    const head = this.filled ? this.ring.slice(this.next) : [];
    return [...head, ...this.ring.slice(0, this.next)] as E[];
  }
}
