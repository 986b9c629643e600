/** The generic invariants, each shown to hold on good events and to fire on bad ones. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/api/events.js';
import type { Invariant } from '../../src/api/invariant.js';
import type { Command, Result } from '../../src/api/types.js';
import { CheckRunner } from '../../src/check/runner.js';
import { conflictOrder, exactlyOnce, replyMatches, requested } from '../../src/check/replicated-state-machine.js';

const cmd = (client: string, seq: number, op: Command['op'], key = 'k', value?: string): Command => ({ id: `${client}#${seq}`, client, seq, op, key, ...(value !== undefined ? { value } : {}) });
const OK: Result = { ok: true };
let t = 0;
const exec = (node: string, command: Command, incarnation = 0, result: Result = OK, applied = true): TraceEvent => ({ t: ++t, type: 'execute', node, incarnation, command, result, applied });
const invoke = (command: Command): TraceEvent => ({ t: ++t, type: 'invoke', client: command.client, command });
const reply = (from: string, command: Command, result: Result): TraceEvent => ({ t: ++t, type: 'send', id: ++t, from, to: command.client, msg: { type: 'client-reply', cmd: command.id, result } as never });

function check(invariant: Invariant, events: TraceEvent[]): string[] {
  const runner = new CheckRunner([invariant], { nodes: ['n1', 'n2', 'n3'], options: {} }, undefined);
  for (const event of events) runner.onEvent(event);
  runner.onEnd(t);
  return runner.violations.map((v) => v.message);
}

const w1 = cmd('c1', 1, 'put', 'k', 'a');
const w2 = cmd('c2', 1, 'put', 'k', 'b');
const r1 = cmd('c3', 1, 'get', 'k');
const other = cmd('c4', 1, 'put', 'other', 'x');

describe('conflict-order', () => {
  it('holds when replicas apply conflicting commands in one order, even with commuting ones interleaved differently', () => {
    expect(check(conflictOrder, [exec('n1', w1), exec('n1', other), exec('n1', w2), exec('n2', other), exec('n2', w1), exec('n2', w2)])).toEqual([]);
  });

  it('holds for a replica that restarts and executes its log again', () => {
    expect(check(conflictOrder, [exec('n1', w1), exec('n1', w2), exec('n1', w1, 1), exec('n1', w2, 1)])).toEqual([]);
  });

  it('fires when two replicas order two writes differently', () => {
    expect(check(conflictOrder, [exec('n1', w1), exec('n1', w2), exec('n2', w2), exec('n2', w1)])[0]).toBe('n2 executed c2#1 as the 1st write to key k, where n1 executed c1#1');
  });

  it('fires when a read lands on different sides of a write', () => {
    expect(check(conflictOrder, [exec('n1', r1), exec('n1', w1), exec('n2', w1), exec('n2', r1)])).toEqual(['n2 executed read c3#1 after 1 writes to key k, n1 after 0']);
  });

  it('ignores executions the client table did not apply', () => {
    expect(check(conflictOrder, [exec('n1', w1), exec('n1', w2), exec('n2', w1), exec('n2', w1, 0, OK, false), exec('n2', w2)])).toEqual([]);
  });
});

describe('exactly-once', () => {
  it('fires when a replica applies a command twice in one incarnation, not across a restart', () => {
    expect(check(exactlyOnce, [exec('n1', w1), exec('n1', w1, 1)])).toEqual([]);
    expect(check(exactlyOnce, [exec('n1', w1), exec('n1', w1)])).toEqual(['n1 applied c1#1 a second time']);
  });
});

describe('requested', () => {
  it('fires for a command no client asked for, or one changed on the way', () => {
    expect(check(requested, [invoke(w1), exec('n1', w1)])).toEqual([]);
    expect(check(requested, [exec('n1', w1)])).toEqual(['n1 executed c1#1, which no client requested']);
    expect(check(requested, [invoke(w1), exec('n1', { ...w1, value: 'forged' })])).toEqual(['n1 executed c1#1 as put k "forged", but the client asked for put k "a"']);
  });
});

describe('reply-matches', () => {
  it('fires for a reply the replica never computed', () => {
    expect(check(replyMatches, [exec('n1', w1, 0, { ok: true }), reply('n1', w1, { ok: true })])).toEqual([]);
    expect(check(replyMatches, [reply('n2', w1, { ok: true })])).toEqual(['n2 replied to c1#1 without having executed it']);
    expect(check(replyMatches, [exec('n1', r1, 0, { ok: true, value: 'a' }), reply('n1', r1, { ok: true, value: 'b' })])).toEqual([
      'n1 replied {"ok":true,"value":"b"} to c3#1 but executed it with result {"ok":true,"value":"a"}',
    ]);
  });
});

describe('conflict-order and local reads', () => {
  it('leaves reads served outside the replicated order to linearizability', () => {
    const localRead = (node: string, command: Command): TraceEvent => ({ t: ++t, type: 'execute', node, incarnation: 0, command, result: OK, applied: true, local: true });
    expect(check(conflictOrder, [exec('n1', w1), localRead('n1', r1), exec('n2', w1), exec('n2', w2), localRead('n3', r1)])).toEqual([]);
  });
});
