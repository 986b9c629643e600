import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/api/events.js';
import type { World } from '../../src/api/invariant.js';
import { generateScenario } from '../../src/fuzz/generate.js';
import { simulate, simulateCollecting } from '../../src/harness/simulate.js';
import { getProtocol } from '../../src/registry/index.js';
import type { SimulationOptions } from '../../src/run/simulation.js';
import { loadScenarioFile, loadScenarioObject } from '../../src/scenario/load.js';
import { acceptedWasProposedAtBallot } from '../../protocols/multi-paxos/invariants.js';
import { ofType } from '../helpers/scenario.js';

const multiPaxos = getProtocol('multi-paxos');
const DIR = 'scenarios/multi-paxos';

type Scenario = Record<string, unknown>;

/** The generated scenario's own option variations (timeouts), without its quorum choice. */
function withoutQuorums(scenario: Scenario): Record<string, unknown> {
  const { phase1Quorum: _q1, phase2Quorum: _q2, ...rest } = (scenario.options ?? {}) as Record<string, unknown>;
  return rest;
}

function sweep(seeds: number, configure: (scenario: Scenario) => void, generate: { nodeCounts?: number[]; bug?: string } = {}, options: SimulationOptions = {}) {
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const scenario = generateScenario(multiPaxos, seed, generate);
    configure(scenario);
    results.push({ seed, outcome: simulate(loadScenarioObject(scenario, `seed ${seed}`).spec, options) });
  }
  return results;
}

function failures(results: ReturnType<typeof sweep>): string[] {
  return results.filter((r) => !r.outcome.verdict.met).map((r) => `seed ${r.seed}: ${r.outcome.verdict.failures.join('; ')}`);
}

function observed(events: readonly TraceEvent[], kind: string) {
  return ofType(events, 'observe').filter((e) => e.event.kind === kind);
}

/** Which command each node learned for each slot (from `commit` events). */
function learned(events: readonly TraceEvent[]): Map<string, Map<number, string>> {
  const byNode = new Map<string, Map<number, string>>();
  for (const e of observed(events, 'commit')) {
    let slots = byNode.get(e.node);
    if (slots === undefined) byNode.set(e.node, (slots = new Map()));
    slots.set(e.event.slot as number, e.event.value as string);
  }
  return byNode;
}

describe('multi-paxos: normal case', () => {
  it('serves each command with phase 2 alone: one round trip from the leader to its phase-2 quorum (20ms on 10ms links)', () => {
    const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/one-round-trip.yaml`).spec);
    expect(result.violations).toEqual([]);
    expect(result.metrics.requests.completed).toBe(150);
    expect(new Set(result.latencySamplesMs)).toEqual(new Set([20]));
    // Phase 1 ran once (one candidate, four prepares); after that, every slot went to each of the four other acceptors exactly once.
    expect(result.metrics.messages.byType.prepare).toBe(4);
    const slots = observed(events, 'propose').length;
    expect(slots).toBeGreaterThanOrEqual(150);
    const sends = ofType(events, 'send').filter((e) => e.msg.type === 'accept');
    const entries = sends.reduce((sum, e) => sum + (e.msg as unknown as { entries: unknown[] }).entries.length, 0);
    expect(entries).toBe(4 * slots);
  });

  it('persists every promise and acceptance before the answer leaves the acceptor', () => {
    const { events } = simulateCollecting(loadScenarioFile(`${DIR}/leader-crash.yaml`).spec);
    const persisted = new Map<string, Set<string>>();
    let checked = 0;
    for (const e of events) {
      if (e.type === 'persist') {
        let keys = persisted.get(e.node);
        if (keys === undefined) persisted.set(e.node, (keys = new Set()));
        keys.add(e.key);
      } else if (e.type === 'send' && e.msg.type === 'accepted') {
        for (const slot of (e.msg as unknown as { slots: number[] }).slots) {
          expect(persisted.get(e.from)?.has(`acceptor/slot/${slot}`), `${e.from} answered accepted for slot ${slot} at ${e.t}`).toBe(true);
          checked++;
        }
      } else if (e.type === 'send' && e.msg.type === 'promise') {
        expect(persisted.get(e.from)?.has('acceptor/promised'), `${e.from} promised at ${e.t}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('a restarted replica recovers from its disk, catches up on the log it missed, and then serves in every quorum', () => {
    const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/restart-catch-up.yaml`).spec);
    expect(result.violations).toEqual([]);
    const restartAt = ofType(events, 'restart').find((e) => e.node === 'n5')?.t as number;
    const decidedBefore = Math.max(...observed(events, 'commit').filter((e) => e.t < restartAt).map((e) => e.event.slot as number));
    expect(decidedBefore).toBeGreaterThan(200);
    const n5 = learned(events.filter((e) => e.t >= restartAt)).get('n5') as Map<number, string>;
    for (let slot = 1; slot <= decidedBefore; slot++) expect(n5.has(slot), `n5 learned slot ${slot} after its restart`).toBe(true);
    expect(result.metrics.messages.byType['catch-up']).toBeGreaterThan(0);
    const secondLeader = observed(events, 'leader').find((e) => e.t > 6_000_000);
    expect(secondLeader?.event.quorum).toContain('n5');
  });

  it('fails over under load: a new leader recovers the log and every request completes', () => {
    const { result } = simulate(loadScenarioFile(`${DIR}/leader-crash.yaml`).spec);
    expect(result.violations).toEqual([]);
    expect(result.metrics.requests.completed).toBe(800);
    expect(result.metrics.elections?.leaderTerms).toBe(2);
  });

  it('a leader that wakes from a long pause answers no read from its own state and steps down', () => {
    const { result, events } = simulateCollecting(loadScenarioFile(`${DIR}/leader-pause.yaml`).spec);
    expect(result.violations).toEqual([]);
    const pause = ofType(events, 'pause')[0] as { node: string; t: number };
    const resume = ofType(events, 'resume')[0] as { node: string; t: number };
    const reads = observed(events, 'local-read');
    expect(reads.filter((e) => e.node === pause.node && e.t < pause.t).length).toBeGreaterThan(0);
    expect(reads.filter((e) => e.node === pause.node && e.t >= resume.t)).toEqual([]);
    expect(observed(events, 'follower').some((e) => e.node === pause.node && e.t === resume.t)).toBe(true);
  });

  it('duelling candidates do not livelock: elections without a winner happen, and every request completes', () => {
    const { result } = simulate(loadScenarioFile(`${DIR}/dueling-candidates.yaml`).spec);
    expect(result.violations).toEqual([]);
    expect(result.metrics.elections?.splitVotes).toBeGreaterThan(0);
    expect(result.metrics.requests.completed).toBe(300);
  });

  it('flexible quorums (q1=4, q2=2 of 5) commit faster than majorities but cannot recover with three nodes up', () => {
    const window = (file: string, from: number, to: number) => {
      const { result } = simulate(loadScenarioFile(`${DIR}/${file}`).spec);
      expect(result.violations).toEqual([]);
      return result.completionTimes.filter((t) => t >= from * 1000 && t < to * 1000).length;
    };
    expect(window('flexible-quorums.yaml', 1000, 3000)).toBeGreaterThan(window('majority-quorums.yaml', 1000, 3000));
    expect(window('flexible-quorums.yaml', 3100, 6000)).toBe(0);
    expect(window('majority-quorums.yaml', 3100, 6000)).toBeGreaterThan(0);
  });

  it('lease reads are safe while clocks stay within maxClockRate, and stale once they do not', () => {
    const within = simulate(loadScenarioFile(`${DIR}/lease-drift-within-bound.yaml`).spec);
    expect(within.verdict.failures).toEqual([]);
    const beyond = simulate(loadScenarioFile(`${DIR}/lease-drift-beyond-bound.yaml`).spec);
    expect(beyond.result.violations.map((v) => v.invariant)).toEqual(['linearizable']);
    const assumed = simulate(loadScenarioFile(`${DIR}/lease-drift-beyond-bound.yaml`, { options: { maxClockRate: 20 } }).spec);
    expect(assumed.result.violations).toEqual([]);
  });

  it('is deterministic: the same scenario and seed give the same trace digest', () => {
    const spec = loadScenarioFile(`${DIR}/leader-crash.yaml`).spec;
    expect(simulate(spec).result.digest).toBe(simulate(spec).result.digest);
  });
});

describe('multi-paxos: randomized faults', () => {
  it('keeps every invariant and finishes every request over 500 seeds with majority quorums', () => {
    const results = sweep(500, (scenario) => {
      scenario.options = withoutQuorums(scenario);
    });
    expect(failures(results)).toEqual([]);
    const faults = results.reduce((sum, r) => sum + r.outcome.result.spec.faults.length, 0);
    expect(faults).toBeGreaterThan(1000);
    const failovers = results.filter((r) => (r.outcome.result.metrics.elections?.leaderTerms ?? 0) > 1).length;
    expect(failovers).toBeGreaterThan(150);
  });

  it('keeps every invariant and finishes every request over 500 seeds with flexible quorums q1=4, q2=2 on 5 nodes', () => {
    const results = sweep(
      500,
      (scenario) => {
        scenario.options = { ...withoutQuorums(scenario), phase1Quorum: 4, phase2Quorum: 2 };
      },
      { nodeCounts: [5] },
    );
    expect(failures(results)).toEqual([]);
    const failovers = results.filter((r) => (r.outcome.result.metrics.elections?.leaderTerms ?? 0) > 1).length;
    expect(failovers).toBeGreaterThan(150);
  });

  it('serves linearizable lease reads over 300 seeds of faults and clock drift within the bound', () => {
    // Every invariant stays on: lease reads are executed as local reads
    // (ctx.execute(cmd, { local: true })), which conflict-order leaves to the
    // linearizability checker, since they have no place in the log.
    let localReads = 0;
    const counter = { event: (e: TraceEvent) => void (e.type === 'observe' && e.event.kind === 'local-read' && localReads++) };
    const results = sweep(
      300,
      (scenario) => {
        scenario.options = { ...withoutQuorums(scenario), leaseReads: true };
      },
      {},
      { sinks: [counter] },
    );
    expect(failures(results)).toEqual([]);
    expect(localReads).toBeGreaterThan(1000);
    expect(results.filter((r) => r.outcome.result.spec.faults.some((f) => f.action.kind === 'drift')).length).toBeGreaterThan(50);
  });
});

describe('multi-paxos: each invariant fires through its bug variant', () => {
  const cases: [string, string][] = [
    ['skip-recovery.yaml', 'multi-paxos.recovered-value'],
    ['no-adopt.yaml', 'multi-paxos.recovered-value'],
    ['volatile-promise.yaml', 'multi-paxos.ballot-monotonic'],
    ['unsafe-quorums.yaml', 'multi-paxos.one-value-per-slot'],
    ['stale-leader-commit.yaml', 'linearizable'],
  ];
  for (const [file, invariant] of cases) {
    it(`${file}: ${invariant}`, () => {
      const { result } = simulate(loadScenarioFile(`${DIR}/${file}`).spec);
      expect(result.violations[0]?.invariant).toBe(invariant);
    });
  }

  it('no-adopt: past the recovery check, the no-op is chosen over a value already chosen (one-value-per-slot)', () => {
    const { result } = simulate(loadScenarioFile(`${DIR}/no-adopt.yaml`).spec, { disableInvariants: ['multi-paxos.recovered-value'] });
    expect(result.violations[0]?.invariant).toBe('multi-paxos.one-value-per-slot');
    expect(result.violations[0]?.message).toMatch(/slot 2: noop was chosen .* after bob#1 was chosen/);
  });

  it('unsafe quorums: past the chosen-value check, the two sides execute different commands in slot 1 (same-command-per-slot)', () => {
    const { result } = simulate(loadScenarioFile(`${DIR}/unsafe-quorums.yaml`).spec, { disableInvariants: ['multi-paxos.one-value-per-slot'] });
    expect(result.violations[0]?.invariant).toBe('multi-paxos.same-command-per-slot');
    expect(result.violations[0]?.message).toMatch(/in slot 1/);
  });

  it('accepted-was-proposed: an acceptance at a ballot that proposed another value', () => {
    const reported: string[] = [];
    const world: World = { now: 0, online: false, view: () => undefined, violation: (message) => reported.push(message) };
    const monitor = acceptedWasProposedAtBallot.create({ nodes: ['n1', 'n2', 'n3'], options: {} });
    const ballot = { round: 1, node: 'n1' };
    const observe = (node: string, event: Record<string, unknown>): TraceEvent => ({ t: 0, type: 'observe', node, event: event as { kind: string } });
    monitor.onEvent?.(observe('n1', { kind: 'propose', slot: 1, ballot, value: 'a#1' }), world);
    monitor.onEvent?.(observe('n2', { kind: 'accept', slot: 1, ballot, value: 'a#1' }), world);
    expect(reported).toEqual([]);
    monitor.onEvent?.(observe('n3', { kind: 'accept', slot: 1, ballot, value: 'b#1' }), world);
    expect(reported).toHaveLength(1);
  });

  it('without the bug, each of those scenarios keeps every invariant and gives the right answers', () => {
    const fixed = (file: string, overrides: { options?: Record<string, unknown> } = {}) => {
      const outcome = simulateCollecting(loadScenarioFile(`${DIR}/${file}`, { bug: 'none', ...overrides }).spec);
      expect(outcome.result.violations, file).toEqual([]);
      return outcome;
    };
    const skip = fixed('skip-recovery.yaml');
    expect(skip.result.clientResults.get('dave')).toEqual([{ ok: true }]);
    // n3 crashed for good; the two survivors hold bob's put, recovered by the new leader, in slot 2.
    const slots = learned(skip.events);
    for (const node of ['n1', 'n2']) expect(slots.get(node)?.get(2), `${node}'s slot 2`).toBe('bob#1');
    expect(fixed('no-adopt.yaml').result.clientResults.get('dave')).toEqual([{ ok: true, value: 'bob' }]);
    expect(fixed('stale-leader-commit.yaml').result.clientResults.get('carol')).toEqual([{ ok: true, value: 'bob' }]);
    fixed('volatile-promise.yaml');
    fixed('unsafe-quorums.yaml', { options: { phase1Quorum: 4 } });
  });

  it('the loader refuses non-intersecting quorums unless the scenario asks for them, and the fuzzer then finds two chosen values', () => {
    const base = { protocol: 'multi-paxos', cluster: { nodes: 5 }, run: { until: '1s' } };
    expect(() => loadScenarioObject({ ...base, options: { phase1Quorum: 3, phase2Quorum: 2 } }, 'x')).toThrow(/q1 \+ q2 > n; set allowUnsafeQuorums: true/);
    expect(() => loadScenarioObject({ ...base, options: { phase1Quorum: 4, phase2Quorum: 2 } }, 'x')).not.toThrow();
    expect(() => loadScenarioObject({ ...base, options: { phase1Quorum: 3, phase2Quorum: 2, allowUnsafeQuorums: true } }, 'x')).not.toThrow();
    const results = sweep(
      100,
      (scenario) => {
        scenario.options = { ...withoutQuorums(scenario), phase1Quorum: 2, phase2Quorum: 2, allowUnsafeQuorums: true };
      },
      { nodeCounts: [5] },
    );
    expect(results.filter((r) => r.outcome.result.violations[0]?.invariant === 'multi-paxos.one-value-per-slot').length).toBeGreaterThan(0);
  });
});
