import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/fuzz/generate.js';
import { simulate } from '../../src/harness/simulate.js';
import { getProtocol } from '../../src/registry/index.js';
import { loadScenarioFile, loadScenarioObject } from '../../src/scenario/load.js';

const paxos = getProtocol('paxos');

function sweep(seeds: number, bug?: string) {
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const scenario = generateScenario(paxos, seed, bug === undefined ? {} : { bug });
    const outcome = simulate(loadScenarioObject(scenario, `seed ${seed}`).spec);
    results.push({ seed, outcome });
  }
  return results;
}

describe('paxos', () => {
  it('takes two round trips to a majority in the failure-free lock example', () => {
    const { result } = simulate(loadScenarioFile('scenarios/paxos/lock.yaml').spec);
    expect(result.metrics.latencyMs.max).toBe(40);
    expect(result.metrics.messages.byType).toEqual({ prepare: 2, promise: 2, accept: 2, accepted: 2, chosen: 2 });
  });

  it('keeps every invariant and finishes every request over 300 seeds of random crashes, pauses, partitions, cuts, drift, loss and duplication', () => {
    const results = sweep(300);
    const failing = results.filter((r) => !r.outcome.verdict.met).map((r) => `seed ${r.seed}: ${r.outcome.verdict.failures.join('; ')}`);
    expect(failing).toEqual([]);
    const faults = results.reduce((sum, r) => sum + r.outcome.result.spec.faults.length, 0);
    expect(faults).toBeGreaterThan(500);
  });

  const bugs: [string, string][] = [
    ['no-adopt', 'paxos.one-value-per-slot'],
    ['keep-old-value', 'paxos.accepted-was-proposed'],
  ];
  for (const [bug, invariant] of bugs) {
    it(`catches the ${bug} bug in a seed sweep (${invariant})`, () => {
      const caught = sweep(20, bug).filter((r) => r.outcome.result.violations.some((v) => v.invariant === invariant));
      expect(caught.length).toBeGreaterThan(0);
    });
  }

  it('catches the no-persist bug in a seed sweep', () => {
    const caught = sweep(150, 'no-persist').filter((r) => r.outcome.result.violations.length > 0);
    expect(caught.length).toBeGreaterThan(0);
    const invariants = new Set(caught.flatMap((r) => r.outcome.result.violations.map((v) => v.invariant)));
    expect([...invariants].some((name) => name.startsWith('paxos.'))).toBe(true);
  });

  it('fires each Paxos invariant through its bug scenario', () => {
    const cases: [string, string][] = [
      ['scenarios/paxos/lock-no-adopt.yaml', 'paxos.one-value-per-slot'],
      ['scenarios/paxos/forgotten-promise.yaml', 'paxos.promise-monotonic'],
      ['scenarios/paxos/keep-old-value.yaml', 'paxos.accepted-was-proposed'],
    ];
    for (const [file, invariant] of cases) {
      const { result } = simulate(loadScenarioFile(file).spec);
      expect(result.violations[0]?.invariant, file).toBe(invariant);
      const fixed = simulate(loadScenarioFile(file, { bug: 'none' }).spec);
      expect(fixed.result.violations, `${file} without the bug`).toEqual([]);
    }
  });

  it('refuses unsafe flexible quorums unless asked, and the checker catches them when asked', () => {
    expect(() => loadScenarioObject({ protocol: 'paxos', options: { phase1Quorum: 2, phase2Quorum: 1 }, cluster: { nodes: 3 }, run: { until: '1s' } }, 'x')).toThrow(/q1 \+ q2 > n/);
    let caught = 0;
    for (let seed = 1; seed <= 40 && caught === 0; seed++) {
      const scenario = generateScenario(paxos, seed);
      scenario.options = { phase1Quorum: 1, phase2Quorum: 1, allowUnsafeQuorums: true };
      const { result } = simulate(loadScenarioObject(scenario, 'x').spec);
      if (result.violations.some((v) => v.invariant === 'paxos.one-value-per-slot')) caught++;
    }
    expect(caught).toBe(1);
  });
});
