/**
 * A node's stable storage: survives crashes, lost only by a `wipe` fault.
 * Values are deep-frozen on write so that a replica cannot change persisted
 * state by mutating an object it still holds.
 */
import type { StableStorage } from '../api/protocol.js';

export class DiskStorage implements StableStorage {
  private readonly data = new Map<string, unknown>();
  /** Number of writes (each a synchronous, durable write: an fsync). */
  writes = 0;

  constructor(private readonly onWrite: (key: string) => void) {}

  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.data.set(key, deepFreeze(value));
    this.writes++;
    this.onWrite(key);
  }

  delete(key: string): void {
    this.data.delete(key);
    this.writes++;
    this.onWrite(key);
  }

  /** Disk loss. */
  wipe(): void {
    this.data.clear();
  }

  get size(): number {
    return this.data.size;
  }
}

/** Freezes a plain-data value and everything it holds; already-frozen parts are skipped. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof Map || value instanceof Set) throw new Error('persist and send plain data: Map and Set cannot be frozen');
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') deepFreeze(item);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const field = record[key];
      if (field !== null && typeof field === 'object') deepFreeze(field);
    }
  }
  return value;
}
