/**
 * A Raft log on stable storage, one key per entry (`log/<index>`) plus its
 * length (`log/length`), so an append writes only what it adds. Indices start
 * at 1; index 0 is the empty prefix, whose term is 0.
 *
 * Storage writes are synchronous and a handler's messages leave only after it
 * returns, so whatever this log holds is on disk before anyone hears of it
 * (Figure 2: "updated on stable storage before responding to RPCs").
 */
import { assert, type StableStorage } from '../../src/api/index.js';
import type { Entry } from './messages.js';

const LENGTH_KEY = 'log/length';

function entryKey(index: number): string {
  return `log/${index}`;
}

export class RaftLog {
  private readonly entries: Entry[] = [];

  /** Reads the log back from storage: what a node has after a restart. */
  constructor(private readonly storage: StableStorage) {
    const length = storage.get<number>(LENGTH_KEY) ?? 0;
    for (let index = 1; index <= length; index++) {
      const entry = storage.get<Entry>(entryKey(index));
      assert(entry !== undefined, `log entry ${index} of ${length} is missing from storage`);
      this.entries.push(entry);
    }
  }

  get lastIndex(): number {
    return this.entries.length;
  }

  get lastTerm(): number {
    return this.termAt(this.entries.length) as number;
  }

  /** The term of the entry at `index` (0 for index 0), or undefined past the end. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    return this.entries[index - 1]?.term;
  }

  at(index: number): Entry {
    const entry = this.entries[index - 1];
    assert(entry !== undefined, `no log entry at index ${index} (log length ${this.entries.length})`);
    return entry;
  }

  /** Up to `max` entries from `from` on. */
  slice(from: number, max: number): Entry[] {
    return this.entries.slice(from - 1, from - 1 + max);
  }

  /** Appends one entry at the end and persists it; returns its index. */
  append(entry: Entry): number {
    assert(entry.term >= this.lastTerm, `appending an entry of term ${entry.term} after one of term ${this.lastTerm}`);
    this.entries.push(entry);
    const index = this.entries.length;
    this.storage.set(entryKey(index), entry);
    this.storage.set(LENGTH_KEY, index);
    return index;
  }

  /**
   * Deletes the entry at `from` and everything after it, then appends
   * `entries` from `from` on (§5.3: a conflicting entry and all that follow it
   * go). Persists the change: the new entries, the deleted keys, the length.
   */
  replaceFrom(from: number, entries: readonly Entry[]): void {
    assert(from >= 1 && from <= this.entries.length + 1, `replacing the log from ${from}, beyond its end (${this.entries.length})`);
    const oldLength = this.entries.length;
    this.entries.length = from - 1;
    for (const entry of entries) this.entries.push(entry);
    const newLength = this.entries.length;
    for (let index = from; index <= newLength; index++) this.storage.set(entryKey(index), this.entries[index - 1]);
    for (let index = newLength + 1; index <= oldLength; index++) this.storage.delete(entryKey(index));
    this.storage.set(LENGTH_KEY, newLength);
  }

  /** The first index holding the same term as the entry at `index` (the conflict hint of §5.3). */
  firstIndexOfTerm(index: number): number {
    const term = this.termAt(index);
    let first = index;
    while (first > 1 && this.termAt(first - 1) === term) first--;
    return first;
  }

  /** The last index holding an entry of `term`, or undefined when this log has none. */
  lastIndexOfTerm(term: number): number | undefined {
    for (let index = this.entries.length; index >= 1; index--) {
      const here = this.termAt(index) as number;
      if (here === term) return index;
      if (here < term) return undefined;
    }
    return undefined;
  }

  /**
   * §5.4.1, the election restriction, from the voter's side: true when this
   * log is more up to date than one ending at (lastIndex, lastTerm), that is
   * when its last term is higher, or the same with a higher last index.
   */
  isMoreUpToDateThan(lastIndex: number, lastTerm: number): boolean {
    if (lastTerm !== this.lastTerm) return this.lastTerm > lastTerm;
    return this.lastIndex > lastIndex;
  }
}
