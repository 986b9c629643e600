/**
 * `npm run bench`: speed, measured, with every figure next to a baseline
 * measured in the same run on the same machine.
 *
 * 1. Kernel: the full simulator (Paxos, 10,000 requests, 5 nodes, online
 *    checkers) in trace events per second, against a bare binary-heap event
 *    loop that pops an event and schedules one follow-up with a seeded random
 *    delay — the least any discrete-event simulator must do per event.
 * 2. Linearizability: a 100,000-operation history over 100 keys from 10
 *    concurrent clients.
 * 3. Fuzzing: runs per second of a standard 5-node configuration on one
 *    worker and on every core.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Op, Result } from '../src/api/types.js';
import { checkLinearizable, type HistoryOp } from '../src/check/linearizability.js';
import { simulate } from '../src/harness/simulate.js';
import { loadScenarioObject } from '../src/scenario/load.js';
import { createRng } from '../src/sim/rng.js';
import { Simulation } from '../src/run/simulation.js';
import type { Context, ProtocolDefinition, Replica } from '../src/api/protocol.js';
import { z } from 'zod';

const args = new Set(process.argv.slice(2));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quick = args.has('--quick');

function line(text = ''): void {
  process.stdout.write(text + '\n');
}

function best<T>(runs: number, body: () => T): { seconds: number; value: T } {
  let seconds = Infinity;
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = body();
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
  }
  return { seconds, value: value as T };
}

/** The baseline: a binary heap of (time, seq) and a loop that does nothing but schedule. */
function bareLoop(events: number): number {
  const times: number[] = [];
  const seqs: number[] = [];
  let seq = 0;
  const push = (time: number) => {
    let i = times.length;
    times.push(time);
    seqs.push(seq);
    const s = seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p] as number;
      if (pt < time || (pt === time && (seqs[p] as number) < s)) break;
      times[i] = pt;
      seqs[i] = seqs[p] as number;
      i = p;
    }
    times[i] = time;
    seqs[i] = s;
  };
  const pop = (): number => {
    const top = times[0] as number;
    const lastTime = times.pop() as number;
    const lastSeq = seqs.pop() as number;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && ((times[r] as number) < (times[l] as number) || ((times[r] as number) === (times[l] as number) && (seqs[r] as number) < (seqs[l] as number)))) c = r;
        const ct = times[c] as number;
        if (lastTime < ct || (lastTime === ct && lastSeq < (seqs[c] as number))) break;
        times[i] = ct;
        seqs[i] = seqs[c] as number;
        i = c;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
    }
    return top;
  };
  const rng = createRng('bare');
  for (let i = 0; i < 64; i++) push(rng.int(0, 1000));
  let checksum = 0;
  for (let i = 0; i < events; i++) {
    const now = pop();
    checksum += now & 1;
    push(now + 500 + rng.int(0, 1000));
  }
  return checksum;
}

/**
 * The kernel's own cost: a protocol that does nothing but pass tokens around,
 * so each delivery schedules exactly one follow-up, as in the bare loop, but
 * through the whole machinery: network draws, node hosts and their contexts,
 * trace events into the digest, the online checkers, metrics.
 */
type Token = { readonly type: 'token'; readonly hops: number };
const relay: ProtocolDefinition<Token, Record<string, never>> = {
  name: 'relay',
  title: 'token relay (benchmark only)',
  paper: 'none',
  options: z.strictObject({}),
  clientPolicy: 'nearest',
  bugs: {},
  invariants: () => [],
  create(ctx: Context<Token>): Replica<Token> {
    const others = ctx.nodes.filter((node) => node !== ctx.id);
    return {
      start: () => {
        for (let i = 0; i < 8; i++) ctx.send(others[ctx.randomBetween(0, others.length - 1)] as string, { type: 'token', hops: 0 });
      },
      receive: (_from, msg) => ctx.send(others[ctx.randomBetween(0, others.length - 1)] as string, { type: 'token', hops: msg.hops + 1 }),
      timeout: () => undefined,
      request: () => undefined,
      inspect: () => null,
    };
  },
};

function kernelOnly(): void {
  const deliveries = quick ? 200_000 : 1_000_000;
  // Each hop is two trace events (send, deliver) and one queue event.
  const spec = { ...loadScenarioObject({ name: 'bench-relay', protocol: 'paxos', seed: 1, cluster: { nodes: 8 }, network: { latency: { uniform: ['0.5ms', '1.5ms'] } }, run: { until: '1h', maxEvents: deliveries } }, 'bench').spec };
  const simulate = () => new Simulation(spec, relay as never).run();
  const full = best(quick ? 1 : 3, simulate);
  const bare = best(quick ? 1 : 3, () => bareLoop(deliveries));
  const simRate = deliveries / full.seconds;
  const bareRate = deliveries / bare.seconds;
  line(`## Kernel throughput (a token-relay protocol on 8 nodes: every delivery sends one message on)`);
  line();
  line('| what | queue events | trace events | wall time | queue events/s | vs bare loop |');
  line('|---|---:|---:|---:|---:|---:|');
  line(`| bare binary-heap loop (baseline: pop, schedule one follow-up) | ${deliveries.toLocaleString('en-US')} | – | ${bare.seconds.toFixed(3)} s | ${Math.round(bareRate).toLocaleString('en-US')} | 1× |`);
  line(`| full simulator, online checkers on (${full.value.invariants.length}) | ${deliveries.toLocaleString('en-US')} | ${full.value.events.toLocaleString('en-US')} | ${full.seconds.toFixed(3)} s | ${Math.round(simRate).toLocaleString('en-US')} | ${(bareRate / simRate).toFixed(2)}× slower |`);
  line();
}

function paxosScenario(requests: number) {
  return loadScenarioObject(
    {
      name: 'bench-paxos',
      protocol: 'paxos',
      seed: 1,
      cluster: { nodes: 5 },
      network: { latency: { uniform: ['0.5ms', '1.5ms'] } },
      workload: { clients: 10, requests, keys: 100, mix: { get: 0.5, put: 0.4, cas: 0.1 } },
      run: { until: '1h' },
    },
    'bench',
  ).spec;
}

function kernel(): void {
  const requests = quick ? 2_000 : 10_000;
  const spec = paxosScenario(requests);
  const full = best(quick ? 1 : 3, () => simulate(spec));
  const events = full.value.result.events;
  const unchecked = best(quick ? 1 : 3, () => simulate(spec, { disableInvariants: full.value.result.invariants }));
  const bare = best(quick ? 1 : 3, () => bareLoop(events));
  const simRate = events / full.seconds;
  const uncheckedRate = events / unchecked.seconds;
  const bareRate = events / bare.seconds;
  line(`## A whole Paxos run (${requests.toLocaleString('en-US')} requests, 5 nodes, 10 clients)`);
  line();
  line('| what | events | wall time | events/s | vs bare loop |');
  line('|---|---:|---:|---:|---:|');
  line(`| bare binary-heap loop (baseline) | ${events.toLocaleString('en-US')} | ${bare.seconds.toFixed(3)} s | ${Math.round(bareRate).toLocaleString('en-US')} | 1× |`);
  line(`| simulator, checkers off | ${events.toLocaleString('en-US')} | ${unchecked.seconds.toFixed(3)} s | ${Math.round(uncheckedRate).toLocaleString('en-US')} | ${(bareRate / uncheckedRate).toFixed(2)}× slower |`);
  line(`| simulator, all online checkers (${full.value.result.invariants.length}) | ${events.toLocaleString('en-US')} | ${full.seconds.toFixed(3)} s | ${Math.round(simRate).toLocaleString('en-US')} | ${(bareRate / simRate).toFixed(2)}× slower |`);
  line();
  const m = full.value.result.metrics;
  line(`Paxos run: ${m.requests.completed.toLocaleString('en-US')} requests completed in ${(full.value.result.endTime / 1e6).toFixed(2)} s simulated, ${full.seconds.toFixed(3)} s wall (${Math.round(m.requests.completed / full.seconds).toLocaleString('en-US')} requests/s of wall time), digest ${full.value.result.digest}.`);
  line();
}

/** A history from a linearizable register: each operation takes effect at a random point inside its interval. */
function linearizableHistory(ops: number, keys: number, clients: number): HistoryOp[] {
  const rng = createRng('history');
  const intervals: { client: number; invoke: number; complete: number; point: number; op: Op; key: string; index: number }[] = [];
  const clock = new Array<number>(clients).fill(0);
  for (let i = 0; i < ops; i++) {
    const client = i % clients;
    const invoke = (clock[client] as number) + rng.int(0, 50);
    const complete = invoke + rng.int(1, 200);
    clock[client] = complete + 1;
    const op = rng.pick<Op>(['get', 'get', 'put', 'cas', 'append']);
    intervals.push({ client, invoke, complete, point: invoke + rng.next() * (complete - invoke), op, key: `k${rng.int(0, keys - 1)}`, index: i });
  }
  const state = new Map<string, string | null>();
  const history: HistoryOp[] = new Array(ops);
  for (const entry of [...intervals].sort((a, b) => a.point - b.point)) {
    const before = state.get(entry.key) ?? null;
    const value = `v${entry.index}`;
    let result: Result;
    const op: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = { id: `c${entry.client}#${entry.index}`, client: `c${entry.client}`, op: entry.op, key: entry.key, invoke: entry.invoke, complete: entry.complete };
    switch (entry.op) {
      case 'get':
        result = { ok: true, value: before };
        break;
      case 'put':
        state.set(entry.key, value);
        op.value = value;
        result = { ok: true };
        break;
      case 'cas': {
        const expected = rng.chance(0.5) ? before : 'nope';
        op.expected = expected;
        op.value = value;
        const ok = expected === before;
        if (ok) state.set(entry.key, value);
        result = { ok, value: before };
        break;
      }
      case 'append': {
        const after = (before ?? '') + value + ';';
        state.set(entry.key, after);
        op.value = value + ';';
        result = { ok: true, value: after };
        break;
      }
    }
    op.result = result;
    history[entry.index] = op;
  }
  return history;
}

function linearizability(): void {
  const ops = quick ? 20_000 : 100_000;
  const history = linearizableHistory(ops, 100, 10);
  const run = best(quick ? 1 : 3, () => checkLinearizable(history));
  line(`## Linearizability checker (${ops.toLocaleString('en-US')} operations, 100 keys, 10 concurrent clients)`);
  line();
  line(`Checked in ${run.seconds.toFixed(2)} s (${Math.round(ops / run.seconds).toLocaleString('en-US')} operations/s): ${run.value.linearizable ? 'linearizable' : 'NOT linearizable'}.`);
  line();
}

/**
 * Fuzz throughput through the real command, on 1 worker and on every core.
 * V8 collects garbage on helper threads by default, so "1 worker" would
 * quietly use a second core; --single-threaded-gc keeps each worker to one.
 */
function fuzz(): void {
  const seeds = quick ? 200 : 1000;
  const cores = availableParallelism();
  const run = (workers: number) => {
    const result = spawnSync(process.execPath, ['--single-threaded-gc', 'bin/parliament', 'fuzz', '--protocol', 'paxos,multi-paxos,raft', '--nodes', '5', '--seeds', `1..${seeds}`, '--workers', String(workers), '--no-shrink', '--json'], { encoding: 'utf8', cwd: ROOT });
    const json = JSON.parse(result.stdout) as { wallSeconds: number; seeds: { run: number }; runs: { digest: string }[]; results: { ok: number } };
    return json;
  };
  const one = run(1);
  const all = run(cores);
  const same = JSON.stringify(one.runs.map((r) => r.digest)) === JSON.stringify(all.runs.map((r) => r.digest));
  const runs = one.seeds.run;
  line(`## Fuzz throughput (paxos, multi-paxos, raft; generated 5-node scenarios, ${seeds} seeds each; ${cores} cores: ${cpus()[0]?.model ?? 'unknown CPU'})`);
  line();
  line('| workers | runs | wall time (with start-up) | runs/s | runs/s per worker | speed-up vs 1 worker |');
  line('|---:|---:|---:|---:|---:|---:|');
  line(`| 1 | ${runs} | ${one.wallSeconds.toFixed(2)} s | ${(runs / one.wallSeconds).toFixed(1)} | ${(runs / one.wallSeconds).toFixed(1)} | 1× |`);
  line(`| ${cores} | ${runs} | ${all.wallSeconds.toFixed(2)} s | ${(runs / all.wallSeconds).toFixed(1)} | ${(runs / all.wallSeconds / cores).toFixed(1)} | ${(one.wallSeconds / all.wallSeconds).toFixed(2)}× |`);
  line();
  line(`Per-seed digests identical on 1 and ${cores} workers: ${same ? 'yes' : 'NO'}; findings: ${runs - all.results.ok}.`);
  line();
}

line(`# parliament benchmarks (${new Date().toISOString().slice(0, 10)}, Node ${process.version}${quick ? ', --quick' : ''})`);
line();
kernelOnly();
kernel();
linearizability();
fuzz();
