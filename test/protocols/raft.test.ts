import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/api/events.js';
import type { Command, Context, Micros, ProtocolEvent, Result } from '../../src/api/index.js';
import { generateScenario } from '../../src/fuzz/generate.js';
import { simulate, simulateCollecting } from '../../src/harness/simulate.js';
import { getProtocol } from '../../src/registry/index.js';
import { Simulation, type SimulationOptions } from '../../src/run/simulation.js';
import { loadScenarioFile, loadScenarioObject } from '../../src/scenario/load.js';
import { protocol as raftDefinition } from '../../protocols/raft/index.js';
import type { RaftMessage } from '../../protocols/raft/messages.js';
import { raftOptions } from '../../protocols/raft/options.js';
import { RaftReplica } from '../../protocols/raft/replica.js';
import { cli } from '../helpers/cli.js';
import { ofType } from '../helpers/scenario.js';

const raft = getProtocol('raft');
const DIR = 'scenarios/raft';

type Scenario = Record<string, unknown>;

function sweep(from: number, to: number, bug?: string, configure?: (scenario: Scenario) => void, options: SimulationOptions = {}) {
  const results = [];
  for (let seed = from; seed <= to; seed++) {
    const scenario = generateScenario(raft, seed, bug === undefined ? {} : { bug });
    configure?.(scenario);
    results.push({ seed, outcome: simulate(loadScenarioObject(scenario, `seed ${seed}`).spec, options) });
  }
  return results;
}

function observed(events: readonly TraceEvent[], kind: string) {
  return ofType(events, 'observe').filter((e) => e.event.kind === kind);
}

function scenarioObject(file: string, change: (scenario: Scenario) => void): Scenario {
  const loaded = loadScenarioFile(file);
  const scenario = structuredClone(loaded.source) as Scenario;
  change(scenario);
  return scenario;
}

/** A context that records what a handler does, for driving one replica by hand. */
function recordingContext(id: string, storage = new Map<string, unknown>()) {
  const sent: { to: string; msg: RaftMessage }[] = [];
  const events: ProtocolEvent[] = [];
  let now: Micros = 0;
  const ctx: Context<RaftMessage> = {
    id,
    nodes: ['n1', 'n2', 'n3'],
    now: () => now,
    send: (to, msg) => void sent.push({ to, msg }),
    broadcast: (msg) => ['n1', 'n2', 'n3'].filter((n) => n !== id).forEach((to) => sent.push({ to, msg })),
    setTimer: () => undefined,
    cancelTimer: () => undefined,
    random: () => 0.5,
    randomBetween: (min) => min,
    storage: {
      get: <T>(key: string) => storage.get(key) as T | undefined,
      set: (key, value) => void storage.set(key, structuredClone(value)),
      delete: (key) => void storage.delete(key),
    },
    execute: (_command: Command): Result => ({ ok: true }),
    reply: () => undefined,
    redirect: () => undefined,
    observe: (event) => void events.push(event),
  };
  return { ctx, sent, events, storage, advance: (micros: Micros) => (now += micros) };
}

describe('raft: normal operation', () => {
  it('commits with one round trip from the leader to a majority, and persists every entry as its own key', () => {
    const { result, events } = simulateCollecting(
      loadScenarioObject(
        {
          protocol: 'raft',
          cluster: { nodes: 5 },
          network: { latency: '10ms' },
          workload: { timeout: '1s', script: Array.from({ length: 20 }, (_, i) => ({ at: `${1000 + i * 100}ms`, client: 'bob', node: 'n1', op: 'put', key: 'x', value: `v${i}` })) },
          faults: [{ at: '0ms', crash: ['n2', 'n3', 'n4', 'n5'], for: '300ms' }],
          run: { until: '5s' },
        },
        'one round trip',
      ).spec,
    );
    expect(result.violations).toEqual([]);
    expect(result.metrics.requests.completed).toBe(20);
    // The client sits next to the leader: AppendEntries out (10ms), the reply back (10ms), then the answer.
    expect(new Set(result.latencySamplesMs)).toEqual(new Set([20]));
    const leader = observed(events, 'leader');
    expect(leader.map((e) => e.node)).toEqual(['n1']);
    // n1's log on disk: one key per entry (the no-op and 20 writes) plus the length.
    const persisted = new Set(ofType(events, 'persist').filter((e) => e.node === 'n1').map((e) => e.key));
    expect([...persisted].filter((key) => /^log\/\d+$/.test(key)).length).toBe(21);
    expect(persisted.has('log/length')).toBe(true);
  });

  it('persists votedFor before the vote leaves, and a restarted node refuses a second candidate in the same term', () => {
    const node = recordingContext('n3');
    const replica = new RaftReplica(node.ctx, raftOptions.parse({}), undefined);
    replica.start();
    replica.receive('n1', { type: 'request-vote', term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    expect(node.storage.get('hard-state')).toEqual({ term: 1, votedFor: 'n1' });
    expect(node.sent).toEqual([{ to: 'n1', msg: { type: 'vote', term: 1, granted: true } }]);

    const restarted = recordingContext('n3', node.storage);
    const again = new RaftReplica(restarted.ctx, raftOptions.parse({}), undefined);
    again.start();
    again.receive('n2', { type: 'request-vote', term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    expect(restarted.sent).toEqual([{ to: 'n2', msg: { type: 'vote', term: 1, granted: false } }]);

    // The forget-vote bug keeps votedFor in memory only: after the restart it votes again.
    const buggy = recordingContext('n3');
    const forgetful = new RaftReplica(buggy.ctx, raftOptions.parse({}), 'forget-vote');
    forgetful.start();
    forgetful.receive('n1', { type: 'request-vote', term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    const reborn = recordingContext('n3', buggy.storage);
    const forgot = new RaftReplica(reborn.ctx, raftOptions.parse({}), 'forget-vote');
    forgot.start();
    forgot.receive('n2', { type: 'request-vote', term: 1, lastLogIndex: 0, lastLogTerm: 0 });
    expect(reborn.sent).toEqual([{ to: 'n2', msg: { type: 'vote', term: 1, granted: true } }]);
  });

  it('refuses a vote to a candidate whose log is behind (§5.4.1), and keeps matching entries when a shorter AppendEntries arrives late (§5.3)', () => {
    const node = recordingContext('n2');
    const replica = new RaftReplica(node.ctx, raftOptions.parse({}), undefined);
    replica.start();
    const entries = [
      { term: 1, command: null },
      { term: 1, command: { id: 'c1#1', client: 'c1', seq: 1, op: 'put', key: 'x', value: 'a' } as Command },
    ];
    replica.receive('n1', { type: 'append-entries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries, leaderCommit: 0, round: 1 });
    // A late copy of an earlier, shorter AppendEntries must not cut the log back.
    replica.receive('n1', { type: 'append-entries', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries.slice(0, 1), leaderCommit: 0, round: 1 });
    expect(node.storage.get('log/length')).toBe(2);
    node.advance(1_000_000);
    replica.receive('n3', { type: 'request-vote', term: 2, lastLogIndex: 1, lastLogTerm: 1 });
    expect(node.sent.at(-1)).toEqual({ to: 'n3', msg: { type: 'vote', term: 2, granted: false } });
  });

  it('rebuilds a restarted node from storage alone: commitIndex starts at 0 and committed entries are applied again', () => {
    const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/leader-crash.yaml`).spec);
    expect(result.violations).toEqual([]);
    const crashed = ofType(events, 'crash')[0]!.node;
    const before = ofType(events, 'execute').filter((e) => e.node === crashed && e.incarnation === 0);
    const after = ofType(events, 'execute').filter((e) => e.node === crashed && e.incarnation === 1);
    expect(before.length).toBeGreaterThan(10);
    // After the restart the node applies its log from the first entry again, in the same order.
    expect(after.slice(0, before.length).map((e) => e.command.id)).toEqual(before.map((e) => e.command.id));
  });

  it('refuses options that cannot work together', () => {
    const base = { protocol: 'raft', cluster: { nodes: 3 }, run: { until: '1s' } };
    expect(() => loadScenarioObject({ ...base, options: { heartbeatInterval: '150ms' } }, 'x')).toThrow(/heartbeatInterval/);
    expect(() => loadScenarioObject({ ...base, options: { readMode: 'lease' } }, 'x')).toThrow(/checkQuorum/);
  });
});

describe('raft: the seed sweep', () => {
  it('keeps every invariant and finishes every request over 500 seeds of random crashes, pauses, partitions, cuts, drift, loss and duplication', () => {
    const results = sweep(1, 500);
    const failing = results.filter((r) => !r.outcome.verdict.met).map((r) => `seed ${r.seed}: ${r.outcome.verdict.failures.join('; ')}`);
    expect(failing).toEqual([]);
    const faults = results.reduce((sum, r) => sum + r.outcome.result.spec.faults.length, 0);
    expect(faults).toBeGreaterThan(1000);
    // The sweep covers the extensions too (the protocol's fuzz options turn them on now and then).
    const options = results.map((r) => r.outcome.result.spec.options as { preVote: boolean; checkQuorum: boolean; readMode: string; maxEntriesPerMessage: number });
    expect(options.filter((o) => o.preVote).length).toBeGreaterThan(50);
    expect(options.filter((o) => o.checkQuorum).length).toBeGreaterThan(50);
    expect(options.filter((o) => o.readMode === 'read-index').length).toBeGreaterThan(50);
    expect(options.filter((o) => o.readMode === 'lease').length).toBeGreaterThan(30);
    expect(options.filter((o) => o.maxEntriesPerMessage === 1).length).toBeGreaterThan(100);
  });

  const bugs: [string, string][] = [
    ['no-vote-restriction', 'raft.leader-completeness'],
    ['commit-old-term', 'raft.leader-commits-current-term'],
    ['forget-vote', 'raft.vote-once-per-term'],
    ['no-truncate', 'raft.log-matching'],
    ['drop-uncommitted', 'raft.leader-append-only'],
  ];
  for (const [bug, invariant] of bugs) {
    it(`finds the ${bug} bug in the same sweep (${invariant})`, () => {
      const caught = sweep(1, 300, bug).filter((r) => r.outcome.result.violations.some((v) => v.invariant === invariant));
      expect(caught.length).toBeGreaterThan(0);
    });
  }
});

describe('raft: each invariant fires through its bug, and the same script is safe without it', () => {
  const cases: [string, string][] = [
    ['no-vote-restriction.yaml', 'raft.leader-completeness'],
    ['figure-8-commit-old-term.yaml', 'raft.leader-commits-current-term'],
    ['forget-vote.yaml', 'raft.vote-once-per-term'],
    ['no-truncate.yaml', 'raft.log-matching'],
    ['drop-uncommitted.yaml', 'raft.leader-append-only'],
  ];
  for (const [file, invariant] of cases) {
    it(`${file}: ${invariant}`, () => {
      const { result } = simulate(loadScenarioFile(`${DIR}/${file}`).spec);
      expect(result.violations[0]?.invariant).toBe(invariant);
      const fixed = simulate(loadScenarioFile(`${DIR}/${file}`, { bug: 'none' }).spec);
      expect(fixed.result.violations).toEqual([]);
    });
  }

  it('forget-vote goes on to two leaders in one term (raft.election-safety)', () => {
    const { result } = simulate(loadScenarioFile(`${DIR}/forget-vote.yaml`).spec, { disableInvariants: ['raft.vote-once-per-term'] });
    expect(result.violations[0]?.invariant).toBe('raft.election-safety');
    expect(result.violations[0]?.message).toMatch(/became leader of term 1, which n1 already leads/);
  });

  it('Figure 8 with the bug goes on to lose a committed entry (raft.leader-completeness, then raft.state-machine-safety)', () => {
    const file = `${DIR}/figure-8-commit-old-term.yaml`;
    const first = simulate(loadScenarioFile(file).spec, { disableInvariants: ['raft.leader-commits-current-term'] });
    expect(first.result.violations[0]?.invariant).toBe('raft.leader-completeness');
    expect(first.result.violations[0]?.message).toMatch(/n5, leader of term 8, holds noop \(term 3\) at index 2, where bob#1 \(term 1\) was committed/);
    const later = simulate(loadScenarioFile(file).spec, { disableInvariants: ['raft.leader-commits-current-term', 'raft.leader-completeness'] });
    expect(later.result.violations[0]?.invariant).toBe('raft.state-machine-safety');
  });

  it('Figure 8 without the bug: the entry on a majority is not committed, and it is overwritten', () => {
    const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/figure-8.yaml`).spec);
    expect(result.violations).toEqual([]);
    // Nobody ever reported index 2 committed while it held Bob's entry.
    expect(observed(events, 'commit').some((e) => e.event.index === 2 && e.event.term === 6)).toBe(false);
    expect(result.clientResults.get('carol')).toEqual([{ ok: true, value: null }]);
  });

  it('raft.reports-match-state catches a node whose reports and state disagree', () => {
    const lying = {
      ...raftDefinition,
      create: (ctx: Context<RaftMessage>, options: ReturnType<typeof raftOptions.parse>, bug: string | undefined) => {
        const replica = new RaftReplica(ctx, options, bug);
        const inspect = replica.inspect.bind(replica);
        replica.inspect = () => ({ ...(inspect() as object), commitIndex: ctx.id === 'n2' ? 99 : (inspect() as { commitIndex: number }).commitIndex });
        return replica;
      },
    };
    const spec = loadScenarioFile(`${DIR}/leader-crash.yaml`).spec;
    const result = new Simulation(spec, lying as never).run();
    expect(result.violations[0]?.invariant).toBe('raft.reports-match-state');
    expect(result.violations[0]?.message).toMatch(/n2: its commit index is 99/);
  });

  it('the event-based invariants also judge a trace file offline (parliament check)', () => {
    const trace = join(tmpdir(), `raft-no-truncate-${process.pid}.jsonl`);
    try {
      expect(cli(['run', `${DIR}/no-truncate.yaml`, '--trace', trace]).code).toBe(0);
      const checked = cli(['check', trace, '--json']);
      expect(checked.stdout).toContain('raft.log-matching');
    } finally {
      rmSync(trace, { force: true });
    }
  });
});

describe('raft: extensions', () => {
  it('PreVote keeps a rejoining node from deposing a healthy leader', () => {
    const disrupted = simulate(loadScenarioFile(`${DIR}/rejoin-disrupts.yaml`).spec).result;
    const calm = simulate(loadScenarioFile(`${DIR}/rejoin-prevote.yaml`).spec).result;
    expect(disrupted.metrics.elections?.leaderTerms).toBe(2);
    expect(disrupted.metrics.elections?.highestTerm).toBeGreaterThan(5);
    expect(calm.metrics.elections?.leaderTerms).toBe(1);
    expect(calm.metrics.elections?.highestTerm).toBe(1);
  });

  it('CheckQuorum makes a leader cut off from the majority step down; without it, it goes on leading', () => {
    const stepDowns = (checkQuorum: boolean) => {
      const scenario = scenarioObject(`${DIR}/stale-leader.yaml`, (s) => (s.options = { checkQuorum }));
      const { events } = simulateCollecting(loadScenarioObject(scenario, 'check-quorum').spec);
      // n1 leads term 1; the partition starts at 1.5 s and heals at 3 s.
      return observed(events, 'follower').filter((e) => e.node === 'n1' && e.t > 1_500_000 && e.t < 3_000_000);
    };
    const withCheck = stepDowns(true);
    expect(withCheck.length).toBeGreaterThan(0);
    expect(withCheck[0]!.t).toBeLessThan(1_500_000 + 2 * 150_000);
    expect(stepDowns(false)).toEqual([]);
  });

  it('read-index and lease reads answer gets without appending them to the log', () => {
    for (const file of ['read-index.yaml', 'lease-reads.yaml']) {
      const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/${file}`).spec);
      expect(result.violations, file).toEqual([]);
      const gets = ofType(events, 'invoke').filter((e) => e.command.op === 'get').length;
      const logged = new Set(observed(events, 'log').flatMap((e) => (e.event.entries as { id: string }[]).map((entry) => entry.id)));
      const local = ofType(events, 'execute').filter((e) => e.command.op === 'get' && e.local === true);
      expect(gets).toBeGreaterThan(100);
      expect(local.length, file).toBeGreaterThanOrEqual(gets);
      expect([...logged].filter((id) => local.some((e) => e.command.id === id)), file).toEqual([]);
    }
  });

  it('a lease read is stale only when clocks drift beyond the bound the lease assumes', () => {
    const file = `${DIR}/lease-clock-drift.yaml`;
    expect(simulate(loadScenarioFile(file).spec).result.violations[0]?.invariant).toBe('linearizable');
    const noDrift = scenarioObject(file, (s) => (s.faults = (s.faults as { drift?: string }[]).filter((f) => f.drift === undefined)));
    expect(simulate(loadScenarioObject(noDrift, 'no drift').spec).result.violations).toEqual([]);
    const readIndex = scenarioObject(file, (s) => (s.options = { readMode: 'read-index' }));
    expect(simulate(loadScenarioObject(readIndex, 'read-index').spec).result.violations).toEqual([]);
  });
});

describe('raft: elections', () => {
  it('narrow election timeouts cause split votes and slow elections; a wide range avoids them (§9.3)', () => {
    const measure = (file: string) => {
      let splitVotes = 0;
      const gaps: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const elections = simulate(loadScenarioFile(`${DIR}/${file}`, { seed }).spec).result.metrics.elections!;
        splitVotes += elections.splitVotes;
        gaps.push(...elections.timeToLeaderMs);
      }
      gaps.sort((a, b) => a - b);
      return { splitVotes, median: gaps[Math.floor(gaps.length / 2)]! };
    };
    const narrow = measure('election-timing-150-155.yaml');
    const wide = measure('election-timing-150-300.yaml');
    expect(narrow.splitVotes).toBeGreaterThan(10 * wide.splitVotes);
    expect(narrow.median).toBeGreaterThan(2 * wide.median);
    expect(wide.median).toBeGreaterThan(150);
    expect(wide.median).toBeLessThan(300);
  });
});
