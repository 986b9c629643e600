/**
 * The replicated key-value store: get, put, compare-and-swap and append.
 * Deterministic: the same commands in the same order give the same results.
 */
import { assertNever, type Command, type Result } from '../api/types.js';

export class KvStore {
  private readonly data = new Map<string, string>();

  read(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  apply(command: Command): Result {
    switch (command.op) {
      case 'get':
        return { ok: true, value: this.read(command.key) };
      case 'put':
        this.data.set(command.key, command.value ?? '');
        return { ok: true };
      case 'cas': {
        const before = this.read(command.key);
        if (before !== (command.expected ?? null)) return { ok: false, value: before };
        this.data.set(command.key, command.value ?? '');
        return { ok: true, value: before };
      }
      case 'append': {
        const after = (this.read(command.key) ?? '') + (command.value ?? '');
        this.data.set(command.key, after);
        return { ok: true, value: after };
      }
      default:
        return assertNever(command.op, 'op');
    }
  }

  /** The whole store as sorted pairs, for views and digests. */
  entries(): [string, string][] {
    return [...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
