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
            this.text(key);
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

  /**
   * Adds one trace event. The envelope of the known event types is hashed
   * field by field in a fixed order (their shapes are fixed, so the names add
   * nothing); payloads, and any other event, go through the generic walk.
   * Reading an event back from JSON gives the same fields, so the same hash.
   */
  add(event: object): void {
    this.count++;
    const e = event as Record<string, unknown> & { type?: unknown };
    const type = e.type;
    if (typeof type !== 'string') {
      this.value(event);
      return;
    }
    this.mix(TAG_OBJECT);
    this.text(type);
    this.value(e.t);
    switch (type) {
      case 'send':
        this.value(e.id);
        this.value(e.from);
        this.value(e.to);
        this.value(e.msg);
        break;
      case 'deliver':
      case 'duplicate':
        this.value(e.id);
        this.value(e.from);
        this.value(e.to);
        break;
      case 'drop':
        this.value(e.id);
        this.value(e.from);
        this.value(e.to);
        this.value(e.reason);
        break;
      case 'timer':
        this.value(e.node);
        this.value(e.name);
        this.optional(e.late);
        break;
      case 'persist':
        this.value(e.node);
        this.value(e.key);
        break;
      case 'observe':
        this.value(e.node);
        this.value(e.event);
        break;
      case 'execute':
        this.value(e.node);
        this.value(e.incarnation);
        this.value(e.command);
        this.value(e.result);
        this.value(e.applied);
        this.optional(e.local);
        break;
      default: {
        // Everything else (client and fault events, violations): the generic walk, minus what is done.
        for (const key in e) {
          if (key === 'type' || key === 't') continue;
          const field = e[key];
          if (field === undefined) continue;
          this.text(key);
          this.value(field);
        }
      }
    }
    this.mix(TAG_END);
  }

  private optional(value: unknown): void {
    if (value === undefined) this.mix(TAG_END);
    else this.value(value);
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
