import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/fuzz/generate.js';
import { judgeScenario, runSeed } from '../../src/fuzz/job.js';
import { shrinkScenario } from '../../src/fuzz/shrink.js';
import { getProtocol } from '../../src/registry/index.js';
import { cli } from '../helpers/cli.js';

interface FuzzJson {
  results: { ok: number; safety: number; liveness: number };
  runs: { protocol: string; seed: number; status: string; digest: string }[];
  findings: { seed: number; invariant: string; reproduce: string; files: { scenario: string; trace: string; shrunk: string }; shrink: { before: { faults: number; events: number }; after: { faults: number; events: number } } }[];
}

const fuzz = (args: string[]) => {
  const result = cli(['fuzz', ...args, '--json']);
  return { code: result.code, json: JSON.parse(result.stdout) as FuzzJson, stderr: result.stderr };
};

describe('parliament fuzz', () => {
  it('generates a whole scenario from a seed, the same one every time', () => {
    const paxos = getProtocol('paxos');
    expect(generateScenario(paxos, 42)).toEqual(generateScenario(paxos, 42));
    expect(generateScenario(paxos, 42)).not.toEqual(generateScenario(paxos, 43));
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      for (const fault of (generateScenario(paxos, seed).faults as Record<string, unknown>[]) ?? []) {
        for (const kind of ['crash', 'pause', 'partition', 'cut', 'drift']) if (kind in fault) kinds.add(kind);
      }
    }
    expect([...kinds].sort()).toEqual(['crash', 'cut', 'drift', 'partition', 'pause']);
  });

  it('gives the same results whatever the number of workers', () => {
    const one = fuzz(['--protocol', 'paxos', '--seeds', '1..48', '--workers', '1']);
    const two = fuzz(['--protocol', 'paxos', '--seeds', '1..48', '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.json.runs).toEqual(one.json.runs);
    expect(one.json.runs).toHaveLength(48);
  });

  it('splits a sweep into shards that together cover it exactly', () => {
    const whole = fuzz(['--protocol', 'paxos', '--seeds', '1..30', '--workers', '1']).json.runs;
    const shards = [0, 1, 2].flatMap((i) => fuzz(['--protocol', 'paxos', '--seeds', '1..30', '--workers', '1', '--shard', `${i}/3`]).json.runs);
    expect(shards.map((r) => r.seed).sort((a, b) => a - b)).toEqual(whole.map((r) => r.seed));
    expect(shards.sort((a, b) => a.seed - b.seed)).toEqual(whole);
  });

  it('on a finding exits 1, writes the scenario, its trace and the shrunk scenario, and each reproduces with parliament run', () => {
    const out = mkdtempSync(join(tmpdir(), 'parliament-fuzz-'));
    const result = fuzz(['--protocol', 'paxos', '--bug', 'no-adopt', '--seeds', '1..10', '--out', out, '--workers', '1']);
    expect(result.code).toBe(1);
    const finding = result.json.findings[0];
    expect(finding?.invariant).toBe('paxos.one-value-per-slot');
    expect(finding?.reproduce).toBe(`parliament run ${finding?.files.scenario}`);
    for (const file of Object.values(finding?.files ?? {})) expect(existsSync(file)).toBe(true);
    const original = cli(['run', finding!.files.scenario, '--json']);
    expect(original.code).toBe(1);
    expect(JSON.parse(original.stdout).violations[0].invariant).toBe('paxos.one-value-per-slot');
    const shrunk = cli(['run', finding!.files.shrunk, '--json']);
    expect(shrunk.code).toBe(1);
    expect(JSON.parse(shrunk.stdout).violations[0].invariant).toBe('paxos.one-value-per-slot');
    expect(finding!.shrink.after.events).toBeLessThanOrEqual(finding!.shrink.before.events);
    expect(finding!.shrink.after.faults).toBeLessThanOrEqual(finding!.shrink.before.faults);
    expect(cli(['check', finding!.files.trace]).code).toBe(1);
  });

  it('reports progress as plain lines when not on a terminal, and nothing with --json', () => {
    const plain = cli(['fuzz', '--protocol', 'paxos', '--seeds', '1..20', '--workers', '1']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/fuzz: 20\/20 seeds, [\d.]+ seeds\/s, 0 findings, ETA 0s/);
    expect(plain.stdout).toMatch(/20 ok, 0 safety violations, 0 stuck \(liveness\)/);
    expect(fuzz(['--protocol', 'paxos', '--seeds', '1..5', '--workers', '1']).stderr).toBe('');
  });

  it('runs for a wall-time budget', () => {
    const result = fuzz(['--protocol', 'paxos', '--time', '1s', '--workers', '1']);
    expect(result.code).toBe(0);
    expect(result.json.runs.length).toBeGreaterThan(10);
  });

  it('refuses bad flags with exit 2', () => {
    expect(cli(['fuzz', '--shard', '3/2']).code).toBe(2);
    expect(cli(['fuzz', '--bug', 'no-adopt']).stderr).toMatch(/--bug needs one --protocol/);
    expect(cli(['fuzz', '--protocol', 'paxos', '--bug', 'nope']).stderr).toMatch(/paxos has no bug variant "nope"/);
    expect(cli(['fuzz', '--protocol', 'raftt']).stderr).toMatch(/unknown protocol "raftt"/);
    expect(cli(['fuzz', '--seeds', '5..1']).code).toBe(2);
    expect(cli(['fuzz', '--time', 'forever']).code).toBe(2);
  });
});

describe('shrinking', () => {
  it('keeps the same invariant failing while taking faults, requests and events away', () => {
    const paxos = getProtocol('paxos');
    let seed = 1;
    while (runSeed('paxos', seed, 'no-persist').status === 'ok') seed++;
    const scenario = generateScenario(paxos, seed, { bug: 'no-persist' });
    const original = judgeScenario(scenario, 'original');
    const shrunk = shrinkScenario(scenario, { kind: 'safety', invariant: original.invariant as string });
    const again = judgeScenario(shrunk.scenario, 'shrunk');
    expect(again.invariant).toBe(original.invariant);
    expect(shrunk.after.faults + shrunk.after.requests).toBeLessThan(shrunk.before.faults + shrunk.before.requests);
  });
});
