/**
 * Random scenarios from a seed. Every choice (cluster size, latency model,
 * loss, workload, and a schedule of crashes, pauses, partitions, bridges,
 * one-way cuts and clock drift) is drawn from the seed's own nemesis stream,
 * so a seed names a whole scenario. The result is an ordinary scenario
 * object: `parliament run` reproduces it from a YAML file.
 *
 * A run has a chaos phase, where faults come and go, then a stable phase: all
 * faults are undone by `chaosEnd`, and the cluster gets `stablePeriod` to
 * finish every request (the bounded liveness check).
 */
import { formatDuration } from '../api/duration.js';
import type { AnyProtocol } from '../registry/index.js';
import { createRng, type Rng } from '../sim/rng.js';

export interface GenerateOptions {
  readonly bug?: string;
  /** Simulated time after the last fault for outstanding requests to finish (default 20s). */
  readonly stablePeriodMs?: number;
  /** Node counts to choose from (default 3 and 5, at least the protocol's minimum). */
  readonly nodeCounts?: readonly number[];
}

const ms = (value: number) => formatDuration(Math.round(value) * 1000);

function nodesOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

function latencyModel(rng: Rng): { latency: unknown; medianMs: number } {
  const base = rng.int(1, 20);
  switch (rng.int(0, 3)) {
    case 0:
      return { latency: ms(base), medianMs: base };
    case 1:
      return { latency: { uniform: [ms(Math.max(1, base / 2)), ms(base * 1.5)] }, medianMs: base };
    case 2:
      return { latency: { normal: { mean: ms(base), stddev: ms(Math.max(1, base / 3)) } }, medianMs: base };
    default:
      return { latency: { lognormal: { median: ms(base), sigma: [0.3, 0.6, 1][rng.int(0, 2)] } }, medianMs: base * 1.5 };
  }
}

function someNodes(rng: Rng, nodes: readonly string[], count: number): string[] {
  return rng
    .shuffle(nodes)
    .slice(0, count)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** One fault of the chaos phase, undone (`for`) before `chaosEnd`. */
function randomFault(rng: Rng, nodes: readonly string[], at: number, chaosEndMs: number, medianMs: number): Record<string, unknown> | undefined {
  const room = chaosEndMs - at;
  if (room < 5) return undefined;
  const duration = Math.max(1, Math.min(room - 1, rng.int(medianMs * 2, medianMs * 200)));
  const fault: Record<string, unknown> = { at: ms(at), for: ms(duration) };
  const n = nodes.length;
  const minority = Math.floor((n - 1) / 2);
  const target = () => (rng.chance(0.3) ? 'leader' : rng.chance(0.5) ? 'random' : rng.pick(nodes));
  switch (rng.int(0, 7)) {
    case 0:
    case 1:
      fault.crash = target();
      break;
    case 2:
      fault.pause = target();
      break;
    case 3:
      fault.partition = rng.chance(0.5) ? 'minority' : rng.chance(0.5) ? 'leader' : 'majority';
      break;
    case 4: {
      const shuffled = rng.shuffle(nodes);
      const cut = rng.int(1, n - 1);
      fault.partition = [shuffled.slice(0, cut).sort(), shuffled.slice(cut).sort()];
      break;
    }
    case 5: {
      // A bridge: two sides that cannot talk, and one node that talks to both.
      if (n < 3) return undefined;
      const [bridge, ...rest] = rng.shuffle(nodes);
      const half = Math.max(1, Math.floor(rest.length / 2));
      const left = rest.slice(0, half).sort();
      const right = rest.slice(half).sort();
      if (right.length === 0 || bridge === undefined) return undefined;
      fault.cut = { from: [...left, ...right], to: [...right, ...left] };
      fault.cut = rng.chance(0.5) ? { from: left, to: right } : { from: right, to: left };
      break;
    }
    case 6:
      fault.cut = { from: someNodes(rng, nodes, rng.int(1, Math.max(1, minority))), to: rng.chance(0.5) ? 'all' : someNodes(rng, nodes, rng.int(1, n - 1)) };
      break;
    default:
      fault.drift = rng.pick(nodes);
      fault.rate = rng.pick([0.5, 0.8, 1.2, 1.5, 2]);
      break;
  }
  return fault;
}

export function generateScenario(protocol: AnyProtocol, seed: number, options: GenerateOptions = {}): Record<string, unknown> {
  const rng = createRng(seed).fork('generate');
  const minimum = protocol.minNodes ?? 1;
  const counts = (options.nodeCounts ?? [3, 3, 5]).filter((count) => count >= minimum);
  const n = counts.length > 0 ? rng.pick(counts) : Math.max(3, minimum);
  const nodes = nodesOf(n);
  const { latency, medianMs } = latencyModel(rng);
  const network: Record<string, unknown> = { latency };
  if (rng.chance(0.5)) network.drop = rng.pick([0.01, 0.02, 0.05, 0.1]);
  if (rng.chance(0.3)) network.duplicate = rng.pick([0.01, 0.05]);
  if (rng.chance(0.1)) network.fifo = true;
  const clients = rng.int(1, 4);
  const workload = {
    clients,
    requests: rng.int(clients * 5, clients * 20),
    keys: rng.int(1, 5),
    mix: rng.pick([{ get: 0.5, put: 0.5 }, { get: 0.2, put: 0.4, cas: 0.2, append: 0.2 }, { put: 1 }, { get: 0.3, append: 0.7 }]),
    timeout: ms(Math.max(100, medianMs * 40)),
    thinkTime: ms(rng.int(0, medianMs * 4)),
  };
  const chaosEndMs = rng.int(1_000, 4_000);
  const faults: Record<string, unknown>[] = [];
  const faultCount = rng.int(0, 6);
  for (let i = 0; i < faultCount; i++) {
    const at = rng.int(0, chaosEndMs - 10);
    const fault = randomFault(rng, nodes, at, chaosEndMs, medianMs);
    if (fault === undefined) continue;
    // Only one partition at a time: a later one waits for the earlier one to end.
    if (fault.partition !== undefined && faults.some((f) => f.partition !== undefined && overlaps(f, fault))) continue;
    faults.push(fault);
  }
  // Sometimes a storm: the same fault again and again, each one short. Leader
  // churn and crash-restart cycles inside an election are where vote and
  // commit rules break, and single faults rarely line them up.
  if (rng.chance(0.12)) {
    // A leader cut off for a long time while clients on both sides keep
    // reading and writing: a deposed leader that still answers shows here.
    if (!faults.some((f) => f.partition !== undefined)) {
      const at = rng.int(200, Math.max(201, Math.floor(chaosEndMs / 3)));
      faults.push({ at: ms(at), for: ms(Math.max(1, chaosEndMs - at - 5)), partition: 'leader' });
    }
  } else if (rng.chance(0.2)) {
    // Flapping: nodes that crash and come straight back, again and again, on a
    // network that duplicates messages, so that an old request can reach a
    // node that has just restarted (this is how a forgotten vote shows).
    if (!('duplicate' in network)) network.duplicate = rng.pick([0.05, 0.1, 0.2]);
    const every = rng.int(Math.max(5, medianMs), Math.max(10, medianMs * 6));
    const count = Math.max(3, Math.min(40, Math.floor((chaosEndMs - 50) / every)));
    faults.push({ at: ms(rng.int(0, 200)), every: ms(every), count, for: ms(rng.int(1, Math.max(1, Math.min(every - 1, medianMs * 2)))), crash: 'random' });
  } else if (rng.chance(0.35)) {
    const every = rng.int(Math.max(20, medianMs * 4), Math.max(40, medianMs * 40));
    const count = Math.max(2, Math.min(12, Math.floor((chaosEndMs - 50) / every)));
    const start = rng.int(0, Math.max(0, chaosEndMs - count * every - 10));
    const length = rng.int(Math.max(1, medianMs), Math.max(2, Math.min(every - 1, medianMs * 15)));
    const storm: Record<string, unknown> = { at: ms(start), every: ms(every), count, for: ms(length) };
    const kind = rng.int(0, 3);
    if (kind === 0) storm.crash = 'leader';
    else if (kind === 1) storm.crash = 'random';
    else if (kind === 2) storm.pause = rng.chance(0.5) ? 'leader' : 'random';
    else storm.partition = rng.chance(0.5) ? 'leader' : 'minority';
    if (storm.partition === undefined || !faults.some((f) => f.partition !== undefined)) faults.push(storm);
  }
  faults.sort((a, b) => parseMs(a.at) - parseMs(b.at));
  const stableMs = options.stablePeriodMs ?? 20_000;
  const scenario: Record<string, unknown> = {
    name: `fuzz-${protocol.name}-${seed}`,
    description: `Generated by parliament fuzz from seed ${seed}: faults until ${ms(chaosEndMs)}, then ${ms(stableMs)} for every request to finish.`,
    protocol: protocol.name,
    seed,
    cluster: { nodes: n },
    network,
    workload,
    faults,
    run: { until: ms(chaosEndMs + stableMs) },
    expect: { safety: 'hold', completed: { atLeast: workload.requests } },
  };
  const protocolOptions = protocol.fuzzOptions?.(() => rng.next(), n);
  if (protocolOptions !== undefined && Object.keys(protocolOptions).length > 0) scenario.options = protocolOptions;
  if (options.bug !== undefined) scenario.bug = options.bug;
  return scenario;
}

function parseMs(value: unknown): number {
  const text = String(value);
  if (text.endsWith('ms')) return Number(text.slice(0, -2));
  if (text.endsWith('us')) return Number(text.slice(0, -2)) / 1000;
  if (text.endsWith('s')) return Number(text.slice(0, -1)) * 1000;
  return Number(text);
}

function overlaps(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const startA = parseMs(a.at);
  const endA = startA + parseMs(a.for);
  const startB = parseMs(b.at);
  const endB = startB + parseMs(b.for);
  return startA < endB && startB < endA;
}
