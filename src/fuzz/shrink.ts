/**
 * Shrinking a failing scenario: take away whatever is not needed for the same
 * invariant to keep failing. Faults go first, then clients and requests, the
 * tail of the run, nodes, and the network's randomness. Each step is kept only
 * if the smaller scenario still fails the same way; it repeats until nothing
 * more can go or the run budget is spent. Deterministic, like everything else.
 */
import { formatDuration, parseDuration } from '../api/duration.js';
import { findProtocol } from '../registry/index.js';
import { judgeScenario, type FindingKind } from './job.js';

export interface ShrinkTarget {
  readonly kind: FindingKind;
  /** The invariant that must keep failing (`liveness` for a liveness finding). */
  readonly invariant: string;
}

export interface ScenarioSize {
  readonly nodes: number;
  readonly faults: number;
  readonly clients: number;
  readonly requests: number;
  readonly events: number;
  readonly untilMs: number;
}

export interface ShrinkResult {
  readonly scenario: Record<string, unknown>;
  readonly before: ScenarioSize;
  readonly after: ScenarioSize;
  /** Candidate runs tried. */
  readonly runs: number;
}

type Scenario = Record<string, unknown> & {
  cluster: { nodes: number };
  network?: Record<string, unknown>;
  workload?: Record<string, unknown> & { clients?: number; requests?: number };
  faults?: Record<string, unknown>[];
  run: { until: string };
  expect?: Record<string, unknown>;
};

const clone = <T>(value: T): T => structuredClone(value);

function micros(text: unknown): number {
  const parsed = parseDuration(text);
  return typeof parsed === 'number' ? parsed : 0;
}

function sizeOf(scenario: Scenario, events: number): ScenarioSize {
  return {
    nodes: scenario.cluster.nodes,
    faults: scenario.faults?.length ?? 0,
    clients: scenario.workload?.clients ?? 0,
    requests: scenario.workload?.requests ?? 0,
    events,
    untilMs: micros(scenario.run.until) / 1000,
  };
}

/** Keeps `expect.completed` in step with the request count (the liveness check). */
function withRequests(scenario: Scenario, requests: number): Scenario {
  const next = clone(scenario);
  if (next.workload) next.workload.requests = requests;
  if (next.expect && typeof next.expect.completed === 'object') next.expect.completed = { atLeast: requests };
  return next;
}

function mentionsNodeAbove(value: unknown, n: number): boolean {
  const text = JSON.stringify(value);
  for (const match of text.matchAll(/"n(\d+)"/g)) if (Number(match[1]) > n) return true;
  return false;
}

function medianLatency(latency: unknown): string | undefined {
  if (typeof latency === 'string') return undefined;
  if (typeof latency !== 'object' || latency === null) return undefined;
  const spec = latency as Record<string, unknown>;
  if ('uniform' in spec && Array.isArray(spec.uniform)) return formatDuration(Math.round((micros(spec.uniform[0]) + micros(spec.uniform[1])) / 2));
  if ('normal' in spec) return String((spec.normal as Record<string, unknown>).mean);
  if ('lognormal' in spec) return String((spec.lognormal as Record<string, unknown>).median);
  if ('pareto' in spec) return String((spec.pareto as Record<string, unknown>).scale);
  if ('constant' in spec) return String(spec.constant);
  return undefined;
}

export function shrinkScenario(original: Record<string, unknown>, target: ShrinkTarget, maxRuns = 400): ShrinkResult {
  let runs = 0;
  let current = clone(original) as Scenario;
  const first = judgeScenario(current, 'shrink');
  const before = sizeOf(current, first.events);
  let events = first.events;
  let violationMs = first.violationMs;

  const attempt = (candidate: Scenario): boolean => {
    if (runs >= maxRuns) return false;
    runs++;
    let verdict;
    try {
      verdict = judgeScenario(candidate, 'shrink');
    } catch {
      return false; // the candidate is not a valid scenario (e.g. a fault after the end)
    }
    if (verdict.status !== target.kind || verdict.invariant !== target.invariant) return false;
    current = candidate;
    events = verdict.events;
    violationMs = verdict.violationMs;
    return true;
  };

  const protocol = findProtocol(String(current.protocol));
  const minNodes = Math.max(protocol?.minNodes ?? 1, 3);
  for (let changed = true; changed && runs < maxRuns; ) {
    changed = false;
    // Faults, one at a time, last first.
    for (let i = (current.faults?.length ?? 0) - 1; i >= 0; i--) {
      const candidate = clone(current);
      candidate.faults = (candidate.faults ?? []).filter((_, index) => index !== i);
      if (attempt(candidate)) changed = true;
    }
    // For a safety finding, nothing after the violation matters.
    if (target.kind === 'safety' && violationMs !== null) {
      const untilMicros = Math.ceil(violationMs) * 1000 + 1000;
      if (untilMicros < micros(current.run.until)) {
        const candidate = clone(current);
        candidate.run = { ...candidate.run, until: formatDuration(untilMicros) };
        candidate.faults = (candidate.faults ?? []).filter((fault) => micros(fault.at) <= untilMicros);
        if (attempt(candidate)) changed = true;
      }
    }
    // Clients, then requests (halving, then one by one).
    while ((current.workload?.clients ?? 0) > 1) {
      const candidate = clone(current);
      const clients = (candidate.workload?.clients ?? 1) - 1;
      candidate.workload = { ...candidate.workload, clients, requests: Math.max(clients, Math.min(candidate.workload?.requests ?? 0, clients * 20)) };
      if (candidate.expect && typeof candidate.expect.completed === 'object') candidate.expect.completed = { atLeast: candidate.workload.requests };
      if (!attempt(candidate)) break;
      changed = true;
    }
    // Requests: take away half, then a quarter, an eighth, … of what is left.
    for (let fraction = 2; fraction <= 64; ) {
      const requests = current.workload?.requests ?? 0;
      const floor = current.workload?.clients ?? 1;
      const next = Math.max(floor, requests - Math.ceil(requests / fraction));
      if (next >= requests) break;
      if (attempt(withRequests(current, next))) changed = true;
      else fraction *= 2;
    }
    // Fewer nodes, when the protocol allows: drop faults that name the removed ones.
    if (current.cluster.nodes > minNodes) {
      const candidate = clone(current);
      candidate.cluster = { ...candidate.cluster, nodes: candidate.cluster.nodes - 2 >= minNodes ? candidate.cluster.nodes - 2 : minNodes };
      candidate.faults = (candidate.faults ?? []).filter((fault) => !mentionsNodeAbove(fault, candidate.cluster.nodes));
      if (attempt(candidate)) changed = true;
    }
    // A calmer network: no loss, no duplicates, no reordering by jitter.
    for (const field of ['drop', 'duplicate', 'fifo'] as const) {
      if (current.network?.[field] === undefined) continue;
      const candidate = clone(current);
      delete candidate.network?.[field];
      if (attempt(candidate)) changed = true;
    }
    const median = medianLatency(current.network?.latency);
    if (median !== undefined) {
      const candidate = clone(current);
      candidate.network = { ...candidate.network, latency: median };
      if (attempt(candidate)) changed = true;
    }
  }
  return { scenario: current, before, after: sizeOf(current, events), runs };
}
