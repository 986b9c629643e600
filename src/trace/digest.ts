/**
 * The digest of a run: a 64-bit hash of the canonical event stream, computed
 * by walking each event's plain data (keys in order, undefined fields skipped),
 * so an event read back from a JSONL trace hashes exactly like the live one.
 * Not cryptographic: it tells runs apart, it does not resist forgery.
 */

const TAG_NULL = 1;
const TAG_FALSE = 2;
const TAG_TRUE = 3;
const TAG_NUMBER = 4;
const TAG_FLOAT = 5;
const TAG_STRING = 6;
const TAG_ARRAY = 7;
const TAG_OBJECT = 8;
const TAG_END = 9;
const TWO_TO_32 = 4294967296;

/**
 * Field names repeat endlessly (`type`, `t`, `from`, `slot`, …): hash each
 * once. Values are hashed in full every time.
 */
const keyHashes = new Map<string, number>();
const KEY_CACHE_LIMIT = 10_000;

function keyHash(key: string): number {
  const cached = keyHashes.get(key);
  if (cached !== undefined) return cached;
  let h = Math.imul(0x2bd1e995 ^ key.length, 0x01000193);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
  if (keyHashes.size < KEY_CACHE_LIMIT) keyHashes.set(key, h);
  return h;
}

export class Digest {
  private a = 0x811c9dc5 | 0;
  private b = 0x2545f491 | 0;
  /** Number of values added at top level (events). */
  count = 0;

  private mix(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193);
    let b = Math.imul(this.b ^ x, 0x5bd1e995);
    b ^= b >>> 13;
    this.b = b;
  }

  private text(value: string): void {
    let a = Math.imul(this.a ^ value.length, 0x01000193);
    let b = Math.imul(this.b ^ value.length, 0x5bd1e995);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    this.a = a;
    this.b = b ^ (b >>> 13);
  }

  private value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.mix(TAG_STRING);
        this.text(value);
        return;
      case 'number':
        if (Number.isSafeInteger(value)) {
          this.mix(TAG_NUMBER);
          this.mix(value | 0);
          this.mix(Math.floor(value / TWO_TO_32) | 0);
        } else {
          this.mix(TAG_FLOAT);
          this.text(String(value));
        }
        return;
      case 'boolean':
        this.mix(value ? TAG_TRUE : TAG_FALSE);
        return;
      case 'object':
        if (value === null) {
          this.mix(TAG_NULL);
        } else if (Array.isArray(value)) {
          this.mix(TAG_ARRAY);
          this.mix(value.length);
          for (const item of value) this.value(item === undefined ? null : item);
        } else {
          this.mix(TAG_OBJECT);
          const record = value as Record<string, unknown>;
          for (const key in record) {
            const field = record[key];
            if (field === undefined) continue;
            this.mix(keyHash(key));
            this.value(field);
          }
          this.mix(TAG_END);
        }
        return;
      default:
        // undefined, functions and symbols do not survive JSON; neither do they count here.
        return;
    }
  }

  add(event: object): void {
    this.count++;
    this.value(event);
  }

  /** 16 hex digits. */
  hex(): string {
    let a = this.a ^ this.count;
    let b = this.b ^ Math.imul(this.count, 0x9e3779b1);
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }
}
