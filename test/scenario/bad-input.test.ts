/**
 * Every kind of bad input gets a one-line cause naming the file, the field and
 * what was expected (file:line:column where the format allows), and exit code 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'parliament-bad-'));
let counter = 0;

function file(text: string, extension = 'yaml'): string {
  const path = join(dir, `case-${++counter}.${extension}`);
  writeFileSync(path, text);
  return path;
}

function errorFor(text: string, extension = 'yaml'): string {
  const path = file(text, extension);
  try {
    loadScenarioFile(path);
  } catch (error) {
    if (error instanceof UserError) return [error.message, ...error.details].join('\n').replace(path, 'FILE');
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

const base = (extra: string) => `protocol: paxos\ncluster: { nodes: 3 }\nrun: { until: 2s }\n${extra}`;

describe('bad scenario input', () => {
  const cases: [string, string, string | RegExp][] = [
    ['invalid YAML', 'protocol: paxos\ncluster: { nodes: 3\nrun: { until: 1s }\n', /^FILE:3:1: invalid YAML: /],
    ['an unknown top-level field, with a did-you-mean', base('sed: 3\n'), 'FILE:4:1: sed: unknown field "sed" (did you mean "seed"?)'],
    ['a typo in a nested field', base('network:\n  dorp: 0.1\n'), 'FILE:5:3: network.dorp: unknown field "dorp" (did you mean "drop"?)'],
    ['an unknown protocol, listing the valid ones', 'protocol: rafft\ncluster: { nodes: 3 }\nrun: { until: 1s }\n', /^FILE:1:11: protocol: unknown protocol "rafft".*valid protocols: .*paxos/],
    ['an unknown protocol option, listing the valid ones', base('options: { retryTimout: 1s }\n'), /^FILE:4:12: options.retryTimout: unknown field "retryTimout" \(did you mean "retryTimeout"\?\); paxos options: .*backoff/],
    ['an unknown bug variant', base('bug: no-adpot\n'), /^FILE:4:6: bug: paxos has no bug variant "no-adpot" \(did you mean "no-adopt"\?\)/],
    ['a negative duration', base('network: { latency: -5ms }\n'), 'FILE:4:21: network.latency: a duration cannot be negative ("-5ms")'],
    ['an unparseable duration', base('workload: { clients: 1, timeout: soon }\n'), 'FILE:4:34: workload.timeout: "soon" is not a duration; write a number and a unit'],
    ['a duration without a unit', 'protocol: paxos\ncluster: { nodes: 3 }\nrun: { until: 10 }\n', 'FILE:3:15: run.until: a duration needs a unit, e.g. "10ms" or "10s"'],
    ['a probability above 1', base('network: { drop: 1.5 }\n'), 'FILE:4:18: network.drop: a probability must be between 0 and 1, got 1.5'],
    ['a negative probability', base('network: { duplicate: -0.1 }\n'), 'FILE:4:23: network.duplicate: a probability must be between 0 and 1, got -0.1'],
    ['a fault naming an unknown node', base('faults:\n  - { at: 1s, crash: n7 }\n'), 'FILE:5:22: faults[0].crash: unknown node "n7" (did you mean "n1"?); this cluster has n1…n3'],
    ['overlapping partition groups', base('faults:\n  - { at: 1s, partition: [[n1, n2], [n2, n3]] }\n'), 'FILE:5:38: faults[0].partition[1][0]: n2 is in two groups (0 and 1); partition groups cannot overlap'],
    ['two partitions in place at once', base('faults:\n  - { at: 100ms, partition: [[n1], [n2, n3]] }\n  - { at: 500ms, partition: [[n2], [n1, n3]] }\n'), /^FILE:6:29: faults\[1\]\.partition: this partition \(from 500ms\) overlaps the one of faults\[0\]/],
    ['a fault after run.until', base('faults:\n  - { at: 5s, crash: n1 }\n'), 'FILE:5:11: faults[0].at: 5s is after run.until (2s); the fault would never fire'],
    ['a billion nodes', 'protocol: paxos\ncluster: { nodes: 1000000000 }\nrun: { until: 1s }\n', /^FILE:2:19: cluster.nodes: the number of nodes beyond the sane limit of 64 \(got 1,000,000,000\); refusing/],
    ['too many requests', base('workload: { clients: 1, requests: 99999999999 }\n'), /workload.requests: the number of requests beyond the sane limit/],
    ['a fault with two actions', base('faults:\n  - { at: 1s, crash: n1, pause: n2 }\n'), 'FILE:5:5: faults[0]: one action per fault, found crash and pause'],
    ['a fault with no action', base('faults:\n  - { at: 1s }\n'), /^FILE:5:5: faults\[0\]: a fault needs one action/],
    ['a missing required section', 'protocol: paxos\ncluster: { nodes: 3 }\n', 'FILE:1:1: run: required: expected a mapping'],
    ['a wrong type', base('seed: lots\n'), 'FILE:4:7: seed: expected a whole number for the seed, got "lots"'],
    ['an unsafe flexible quorum', base('options: { phase1Quorum: 1, phase2Quorum: 2 }\n'), /^FILE:4:43: options.phase2Quorum: phase1Quorum 1 \+ phase2Quorum 2 ≤ 3 nodes/],
    ['invalid JSON', '{ "protocol": "paxos",\n  "run": {}, }', /^FILE:2:14: invalid JSON: /],
    ['a latency distribution with a bad field', base('network: { latency: { normal: { mean: 5ms, stdev: 1ms } } }\n'), /network.latency.normal.stdev: unknown field "stdev"; normal takes mean and stddev/],
    ['an empty file', '', 'FILE: the file is empty; a scenario needs at least protocol, cluster and run'],
    ['a list instead of a mapping', '- 1\n- 2\n', /expected a mapping of fields/],
    ['drift without a rate', base('faults:\n  - { at: 1s, drift: n1 }\n'), 'FILE:5:5: faults[0].rate: drift needs a rate'],
    ['a cas without expected in a script', base('workload:\n  script:\n    - { at: 0ms, client: bob, op: cas, key: k, value: v }\n'), /workload.script\[0\].expected: a cas needs expected/],
  ];

  for (const [what, text, expected] of cases) {
    it(`refuses ${what}`, () => {
      const extension = what === 'invalid JSON' ? 'json' : 'yaml';
      const message = errorFor(text, extension);
      if (typeof expected === 'string') expect(message.startsWith(expected), message).toBe(true);
      else expect(message).toMatch(expected);
      expect(message.split('\n')[0]).not.toMatch(/\n|at .*\.ts:\d+/);
    });
  }

  it('refuses an unreadable file', () => {
    expect(() => loadScenarioFile(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read the scenario \(no such file\)/);
    expect(() => loadScenarioFile(dir)).toThrow(/cannot read the scenario \(it is a directory\)/);
  });

  it('exits 2 with one line on stderr and no stack trace, from the command line', () => {
    const path = file(base('network:\n  dorp: 0.1\n'));
    const result = cli(['run', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(':5:3: network.dorp: unknown field "dorp" (did you mean "drop"?)');
    expect(result.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('names the flag when the bad value came from the command line', () => {
    const path = file(base(''));
    expect(cli(['run', path, '--bug', 'nope']).stderr).toMatch(/^parliament: --bug: paxos has no bug variant "nope"/);
    expect(cli(['run', path, '--seed', '-3']).code).toBe(2);
    expect(cli(['run', path, '--option', 'retryTimeout=5']).stderr).toMatch(/^parliament: --option retryTimeout: a duration needs a unit/);
    const unknown = cli(['run', path, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('refuses to overwrite a file that is not a trace', () => {
    const path = file(base(''));
    const precious = file('my notes\n', 'txt');
    const result = cli(['run', path, '--trace', precious]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/exists and is not a parliament trace; refusing to overwrite it/);
  });
});
