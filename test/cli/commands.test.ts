import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'parliament-cli-'));

describe('parliament run', () => {
  it('prints a readable summary and exits 0 when everything holds', () => {
    const result = cli(['run', 'scenarios/paxos/lock.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ every invariant held, expectations met');
    expect(result.stdout).toMatch(/latency\s+p50 40 ms/);
    expect(result.stdout).toMatch(/digest\s+[0-9a-f]{16}/);
  });

  it('prints the JSON fields scripts rely on', () => {
    const json = JSON.parse(cli(['run', 'scenarios/paxos/dueling-proposers.yaml', '--json']).stdout);
    for (const field of ['protocol', 'seed', 'digest', 'simulatedMs', 'events', 'messages', 'requests', 'latencyMs', 'violations']) expect(json).toHaveProperty(field);
    expect(json.messages).toMatchObject({ sent: expect.any(Number), delivered: expect.any(Number), dropped: expect.any(Number) });
    expect(json.requests).toMatchObject({ submitted: 60, completed: 60 });
    expect(json.latencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number), mean: expect.any(Number) });
  });

  it('exits 1 on a violation and prints the invariant, the events before it and the command that reproduces it', () => {
    const result = cli(['run', 'scenarios/paxos/lock.yaml', '--bug', 'no-adopt', '--seed', '1']);
    expect(result.code).toBe(0);
    const violating = cli(['run', 'scenarios/paxos/lock-node-failure.yaml', '--bug', 'no-adopt']);
    expect(violating.code).toBe(1);
    expect(violating.stdout).toContain('VIOLATION: paxos.one-value-per-slot at 121.082 ms');
    expect(violating.stdout).toContain('n1→n3      accept slot=1 b=2.n1 v=alice#1');
    expect(violating.stdout).toContain('Reproduce: parliament run scenarios/paxos/lock-node-failure.yaml --seed 1 --bug no-adopt');
  });

  it('runs a seed range and aggregates it', () => {
    const result = cli(['run', 'scenarios/paxos/dueling-proposers.yaml', '--seeds', '1..5', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.seeds).toEqual({ from: 1, to: 5, count: 5 });
    expect(json.runs).toHaveLength(5);
    expect(json.aggregate.outcomes).toEqual({ ok: 5, violation: 0, unmet: 0 });
    expect(json.aggregate.latencyMs.count).toBe(300);
  });
});

describe('parliament replay and check', () => {
  const trace = join(dir, 'run.jsonl');

  it('writes a trace with a header, events and a footer; replay says identical', () => {
    expect(cli(['run', 'scenarios/paxos/lock-node-failure.yaml', '--trace', trace]).code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'header', format: 'parliament-trace', version: 1, protocol: 'paxos', seed: 1 });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'footer', digest: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const replay = cli(['replay', trace]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^identical: \d+ events, digest [0-9a-f]{16}/);
  });

  it('replay shows the first diverging event of a tampered trace', () => {
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    const index = lines.findIndex((line) => line.includes('"type":"send"') && line.includes('"prepare"'));
    expect(lines[index]).toContain('"to":"n1"');
    lines[index] = lines[index]!.replace('"to":"n1"', '"to":"n3"');
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, lines.join('\n') + '\n');
    const replay = cli(['replay', tampered]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain(`diverged at event ${index} (line ${index + 1} of ${tampered})`);
    expect(replay.stdout).toMatch(/recorded: .*n2→n3 +prepare/);
    expect(replay.stdout).toMatch(/replayed: .*n2→n1 +prepare/);
    const check = cli(['check', tampered]);
    expect(check.stdout).toMatch(/differs from the footer's/);
  });

  it('check runs the invariants offline and finds a violation in a bug run', () => {
    const bugTrace = join(dir, 'bug.jsonl');
    expect(cli(['run', 'scenarios/paxos/lock-no-adopt.yaml', '--trace', bugTrace]).code).toBe(0);
    const check = cli(['check', bugTrace, '--json']);
    expect(check.code).toBe(1);
    const json = JSON.parse(check.stdout);
    expect(json.violations[0].invariant).toBe('paxos.one-value-per-slot');
    expect(json.digestMatches).toBe(true);
    const clean = cli(['check', trace]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('✓ no violation');
  });

  it('overwrites an earlier trace but refuses other files', () => {
    expect(cli(['run', 'scenarios/paxos/lock.yaml', '--trace', trace]).code).toBe(0);
    const notes = join(dir, 'notes.jsonl');
    writeFileSync(notes, '{"mine": true}\n');
    expect(cli(['run', 'scenarios/paxos/lock.yaml', '--trace', notes]).code).toBe(2);
    expect(readFileSync(notes, 'utf8')).toBe('{"mine": true}\n');
  });

  it('refuses a file that is not a trace', () => {
    const notTrace = join(dir, 'x.jsonl');
    writeFileSync(notTrace, '{"a":1}\n');
    const result = cli(['replay', notTrace]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/x\.jsonl:1: not a parliament trace/);
  });
});

describe('parliament list and schema', () => {
  it('lists protocols with paper, options, bug variants and invariants, as text and JSON', () => {
    const text = cli(['list']).stdout;
    expect(text).toContain('paxos — Paxos');
    expect(text).toContain('no-adopt');
    const json = JSON.parse(cli(['list', '--json']).stdout);
    const paxos = json.protocols.find((p: { name: string }) => p.name === 'paxos');
    expect(paxos.paper).toMatch(/Part-Time Parliament/);
    expect(paxos.bugs.map((b: { name: string }) => b.name)).toEqual(['no-adopt', 'no-persist', 'keep-old-value', 'local-read']);
    expect(paxos.invariants.map((i: { name: string }) => i.name)).toContain('paxos.one-value-per-slot');
    expect(paxos.options.map((o: { name: string }) => o.name)).toContain('retryTimeout');
    expect(json.genericInvariants.map((i: { name: string }) => i.name)).toContain('conflict-order');
  });

  it('prints a JSON Schema that knows the protocols and their options', () => {
    const schema = JSON.parse(cli(['schema']).stdout);
    expect(schema.$schema).toMatch(/json-schema/);
    expect(schema.properties.protocol.enum).toContain('paxos');
    expect(schema.additionalProperties).toBe(false);
    const paxos = schema.allOf.find((entry: { if: { properties: { protocol: { const: string } } } }) => entry.if.properties.protocol.const === 'paxos');
    expect(Object.keys(paxos.then.properties.options.properties)).toContain('phase2Quorum');
    expect(schema.properties.network.properties.latency.anyOf.length).toBeGreaterThan(3);
  });
});

describe('parliament check-history', () => {
  it('checks a history written by run --history, and explains a failure', () => {
    const history = join(dir, 'stale.history.jsonl');
    expect(cli(['run', 'scenarios/paxos/local-read.yaml', '--history', history]).code).toBe(0);
    const result = cli(['check-history', history]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ not linearizable: key "x"');
    expect(result.stdout).toContain('bob get x [45ms–45ms] → ok null');
    const good = join(dir, 'good.history.jsonl');
    cli(['run', 'scenarios/paxos/dueling-proposers.yaml', '--history', good]);
    expect(cli(['check-history', good]).stdout).toContain('✓ linearizable');
  });

  it('reads a hand-written history with indeterminate and failed operations', () => {
    const file = join(dir, 'hand.jsonl');
    writeFileSync(
      file,
      [
        { type: 'invoke', t: 0, id: 'a', client: 'p1', op: 'put', key: 'k', value: '1' },
        { type: 'info', t: 10, id: 'a' },
        { type: 'invoke', t: 1, id: 'b', client: 'p2', op: 'put', key: 'k', value: '2' },
        { type: 'fail', t: 5, id: 'b' },
        { type: 'invoke', t: 20, id: 'c', client: 'p3', op: 'get', key: 'k' },
        { type: 'ok', t: 21, id: 'c', result: { ok: true, value: '1' } },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n',
    );
    const json = JSON.parse(cli(['check-history', file, '--json']).stdout);
    expect(json).toMatchObject({ linearizable: true, ops: 2, indeterminate: 1 });
  });

  it('refuses a malformed history with the file, line and field', () => {
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, '{"type":"invoke","t":0,"id":"a","op":"frob","key":"k"}\n');
    const result = cli(['check-history', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.jsonl:1: op: expected one of get, put, cas, append, got "frob"/);
  });
});
