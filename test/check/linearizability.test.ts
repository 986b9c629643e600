import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { Op, Result } from '../../src/api/types.js';
import { checkLinearizable, type HistoryOp } from '../../src/check/linearizability.js';

let seq = 0;
function op(client: string, kind: Op, key: string, invoke: number, complete: number | undefined, result: Result | undefined, args: { value?: string; expected?: string | null } = {}): HistoryOp {
  const entry: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = { id: `${client}#${++seq}`, client, op: kind, key, invoke, ...args };
  if (complete !== undefined) entry.complete = complete;
  if (result !== undefined) entry.result = result;
  return entry;
}
const put = (client: string, value: string, invoke: number, complete?: number, key = 'x') => op(client, 'put', key, invoke, complete, complete === undefined ? undefined : { ok: true }, { value });
const get = (client: string, value: string | null, invoke: number, complete: number, key = 'x') => op(client, 'get', key, invoke, complete, { ok: true, value });
const cas = (client: string, expected: string | null, value: string, invoke: number, complete: number | undefined, result?: Result) => op(client, 'cas', 'x', invoke, complete, result, { expected, value });
const append = (client: string, value: string, invoke: number, complete: number | undefined, after?: string) => op(client, 'append', 'x', invoke, complete, after === undefined ? undefined : { ok: true, value: after }, { value });

describe('linearizability: hand-written histories', () => {
  it('accepts a sequential history', () => {
    expect(checkLinearizable([put('a', '1', 0, 1), get('b', '1', 2, 3), put('a', '2', 4, 5), get('b', '2', 6, 7)]).linearizable).toBe(true);
  });

  it('accepts a read concurrent with a write seeing either value', () => {
    expect(checkLinearizable([put('a', '1', 0, 10), get('b', null, 1, 2)]).linearizable).toBe(true);
    expect(checkLinearizable([put('a', '1', 0, 10), get('b', '1', 1, 2)]).linearizable).toBe(true);
  });

  it('refuses a stale read after a completed write, and explains it', () => {
    const result = checkLinearizable([put('a', '1', 0, 10), get('b', null, 20, 30)]);
    expect(result.linearizable).toBe(false);
    expect(result.failures[0]?.key).toBe('x');
    expect(result.failures[0]?.ops.map((o) => o.client)).toEqual(['a', 'b']);
    expect(result.failures[0]?.explanation).toMatch(/leaving "1" in the register; then b get x .* → ok null must take effect before it returns/);
  });

  it('refuses two reads that see values in an order no write order allows', () => {
    const history = [put('w1', '1', 0, 100), put('w2', '2', 0, 100), get('r1', '1', 10, 20), get('r1', '2', 30, 40), get('r2', '2', 50, 60), get('r2', '1', 70, 80)];
    expect(checkLinearizable(history).linearizable).toBe(false);
  });

  it('accepts a history only because a timed-out write did take effect', () => {
    // a's put never answered, yet b read its value: fine, it took effect.
    expect(checkLinearizable([put('a', '1', 0), get('b', '1', 5, 6)]).linearizable).toBe(true);
  });

  it('accepts a history only because a timed-out write did not take effect', () => {
    // a's put never answered and nobody saw "1": it may never have happened.
    expect(checkLinearizable([put('a', '1', 0), get('b', null, 50, 60), get('b', null, 70, 80)]).linearizable).toBe(true);
  });

  it('refuses a read of a timed-out write followed by a read of the older value', () => {
    expect(checkLinearizable([put('z', '0', 0, 1), put('a', '1', 2), get('b', '1', 5, 6), get('b', '0', 7, 8)]).linearizable).toBe(false);
  });

  it('checks compare-and-swap both ways', () => {
    expect(checkLinearizable([cas('a', null, 'a', 0, 1, { ok: true, value: null }), cas('b', null, 'b', 2, 3, { ok: false, value: 'a' })]).linearizable).toBe(true);
    expect(checkLinearizable([cas('a', null, 'a', 0, 1, { ok: true, value: null }), cas('b', null, 'b', 2, 3, { ok: true, value: null })]).linearizable).toBe(false);
  });

  it('checks appends, including one whose answer was lost but whose effect shows', () => {
    expect(checkLinearizable([append('a', 'x;', 0, 1, 'x;'), append('b', 'y;', 2, undefined), get('c', 'x;y;', 5, 6)]).linearizable).toBe(true);
    expect(checkLinearizable([append('a', 'x;', 0, 1, 'x;'), append('b', 'y;', 2, 3, 'y;')]).linearizable).toBe(false);
  });

  it('keeps keys apart (a read of another key is not a stale read)', () => {
    expect(checkLinearizable([put('a', '1', 0, 1, 'x'), get('b', null, 2, 3, 'y')]).linearizable).toBe(true);
  });

  it('reports the minimal set of operations involved', () => {
    const noise = Array.from({ length: 30 }, (_, i) => put(`n${i}`, `v${i}`, 100 + i * 10, 105 + i * 10));
    const reads = noise.map((w, i) => get(`r${i}`, w.value ?? null, 106 + i * 10, 108 + i * 10));
    const history = [...noise, ...reads, put('a', 'final', 1000, 1001), get('b', 'v3', 1002, 1003)];
    const failure = checkLinearizable(history).failures[0];
    // n3 wrote v3, a later write completed, then b still read v3: three operations, whichever later write is kept.
    expect(failure?.ops).toHaveLength(3);
    expect(failure?.ops[0]?.client).toBe('n3');
    expect(failure?.ops[2]?.client).toBe('b');
  });
});

/** A history from one sequential register, each operation taking effect inside its interval. */
const sequentialHistory = fc
  .array(fc.record({ kind: fc.constantFrom<Op>('get', 'put', 'cas', 'append'), start: fc.integer({ min: 0, max: 20 }), before: fc.integer({ min: 0, max: 5 }), after: fc.integer({ min: 0, max: 5 }), guess: fc.boolean(), client: fc.integer({ min: 1, max: 4 }), answered: fc.boolean() }), { minLength: 1, maxLength: 40 })
  .map((steps) => {
    let state: string | null = null;
    let time = 0;
    const ops: HistoryOp[] = [];
    steps.forEach((s, i) => {
      time += s.start + 1;
      const at = time;
      const value = `v${i}`;
      let result: Result;
      const before: string | null = state;
      switch (s.kind) {
        case 'get':
          result = { ok: true, value: state };
          break;
        case 'put':
          state = value;
          result = { ok: true };
          break;
        case 'cas': {
          const expected = s.guess ? state : 'nope';
          const swapped = state === expected;
          if (swapped) state = value;
          result = { ok: swapped, value: before };
          ops.push(op(`c${s.client}`, 'cas', 'x', at - s.before, at + s.after, s.answered || swapped ? result : undefined, { expected, value }));
          return;
        }
        case 'append':
          state = (state ?? '') + value + ';';
          result = { ok: true, value: state };
          ops.push(op(`c${s.client}`, 'append', 'x', at - s.before, s.answered ? at + s.after : undefined, s.answered ? result : undefined, { value: value + ';' }));
          return;
      }
      const answered = s.answered || s.kind === 'get';
      ops.push(op(`c${s.client}`, s.kind, 'x', at - s.before, answered ? at + s.after : undefined, answered ? result : undefined, s.kind === 'put' ? { value } : {}));
    });
    return ops;
  });

describe('linearizability: properties', () => {
  test.prop([sequentialHistory], { numRuns: 300 })('a history produced by one sequential register always passes', (history) => {
    expect(checkLinearizable(history).linearizable).toBe(true);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 30 }), fc.nat(), fc.nat()], { numRuns: 300 })('swapping the results of two reads that saw different values is caught', (gaps, i, j) => {
    // Sequential, non-overlapping operations: writes of unique values, each followed by a read of it.
    let time = 0;
    const history: HistoryOp[] = [];
    gaps.forEach((gap, k) => {
      time += gap + 1;
      history.push(put('w', `v${k}`, time, time + 1));
      history.push(get('r', `v${k}`, time + 2, time + 3));
      time += 3;
    });
    const reads = history.filter((h) => h.op === 'get');
    const a = reads[i % reads.length] as HistoryOp;
    const b = reads[j % reads.length] as HistoryOp;
    fc.pre(a !== b);
    const swapped = history.map((h) => (h === a ? { ...h, result: b.result } : h === b ? { ...h, result: a.result } : h)) as HistoryOp[];
    expect(checkLinearizable(swapped).linearizable).toBe(false);
  });
});
