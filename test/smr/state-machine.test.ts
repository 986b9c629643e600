import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/api/types.js';
import { KvStore } from '../../src/smr/kv-store.js';
import { STALE_RESULT, StateMachine } from '../../src/smr/state-machine.js';

const command = (client: string, seq: number, rest: Partial<Command>): Command => ({ id: `${client}#${seq}`, client, seq, op: 'get', key: 'k', ...rest });

describe('KvStore', () => {
  it('gets, puts, compares-and-swaps and appends', () => {
    const store = new KvStore();
    expect(store.apply(command('c', 1, { op: 'get' }))).toEqual({ ok: true, value: null });
    expect(store.apply(command('c', 2, { op: 'cas', expected: null, value: 'a' }))).toEqual({ ok: true, value: null });
    expect(store.apply(command('c', 3, { op: 'cas', expected: 'x', value: 'b' }))).toEqual({ ok: false, value: 'a' });
    expect(store.apply(command('c', 4, { op: 'put', value: 'z' }))).toEqual({ ok: true });
    expect(store.apply(command('c', 5, { op: 'append', value: '1' }))).toEqual({ ok: true, value: 'z1' });
    expect(store.entries()).toEqual([['k', 'z1']]);
  });
});

describe('StateMachine with its client table', () => {
  it('applies a command once and answers a retry with the saved result', () => {
    const sm = new StateMachine();
    const append = command('c1', 1, { op: 'append', value: 'x' });
    expect(sm.execute(append)).toEqual({ result: { ok: true, value: 'x' }, applied: true });
    expect(sm.execute(append)).toEqual({ result: { ok: true, value: 'x' }, applied: false });
    expect(sm.store.read('k')).toBe('x');
    expect(sm.applied).toBe(1);
  });

  it('does not execute a request older than the client’s latest', () => {
    const sm = new StateMachine();
    sm.execute(command('c1', 2, { op: 'put', value: 'new' }));
    expect(sm.execute(command('c1', 1, { op: 'put', value: 'old' }))).toEqual({ result: STALE_RESULT, applied: false });
    expect(sm.store.read('k')).toBe('new');
  });

  it('keeps clients apart', () => {
    const sm = new StateMachine();
    sm.execute(command('c1', 1, { op: 'append', value: 'a' }));
    expect(sm.execute(command('c2', 1, { op: 'append', value: 'b' })).applied).toBe(true);
  });
});

describe('local reads', () => {
  it('read the store without touching the client table, so a later retry of an older command still applies', () => {
    const sm = new StateMachine();
    sm.execute(command('c1', 1, { op: 'put', value: 'a' }));
    expect(sm.readLocal(command('c1', 3, { op: 'get' }))).toEqual({ result: { ok: true, value: 'a' }, applied: true });
    expect(sm.execute(command('c1', 2, { op: 'put', value: 'b' })).applied).toBe(true);
  });
});
