import { describe, expect, it } from 'vitest';
import { cliJson } from '../helpers/cli.js';
import { run } from '../helpers/scenario.js';

const SCENARIO = 'scenarios/paxos/dueling-proposers.yaml';

describe('determinism', () => {
  it('gives the same digest for the same scenario and seed in two separate processes', () => {
    const first = cliJson<{ digest: string; events: number }>(['run', SCENARIO, '--seed', '11']);
    const second = cliJson<{ digest: string; events: number }>(['run', SCENARIO, '--seed', '11']);
    expect(first.json.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(second.json.digest).toBe(first.json.digest);
    expect(second.json.events).toBe(first.json.events);
  });

  it('gives a different digest for a different seed', () => {
    const digests = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) digests.add(cliJson<{ digest: string }>(['run', SCENARIO, '--seed', String(seed)]).json.digest);
    expect(digests.size).toBe(5);
  });

  it('is byte-identical event for event within one process too, faults and loss included', () => {
    const scenario = {
      protocol: 'paxos',
      seed: 99,
      cluster: { nodes: 5 },
      network: { latency: { lognormal: { median: '2ms', sigma: 0.6 } }, drop: 0.05, duplicate: 0.05 },
      workload: { clients: 4, requests: 80, keys: 4, mix: { get: 0.3, put: 0.4, cas: 0.2, append: 0.1 }, timeout: '300ms' },
      faults: [
        { at: '100ms', crash: 'random', for: '200ms' },
        { at: '400ms', partition: 'minority', for: '300ms' },
        { at: '500ms', pause: 'random', for: '50ms' },
      ],
      run: { until: '20s' },
    };
    const a = run(scenario);
    const b = run(scenario);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(b.result.digest).toBe(a.result.digest);
    expect(a.result.violations).toEqual([]);
  });
});
