/**
 * One fuzz job: generate the scenario a seed names, run it with every
 * invariant on, and classify the result. A pure function of (protocol, seed,
 * bug): which worker runs it, and how many workers there are, cannot change it.
 */
import { simulate } from '../harness/simulate.js';
import { getProtocol } from '../registry/index.js';
import { loadScenarioObject } from '../scenario/load.js';
import { generateScenario, type GenerateOptions } from './generate.js';

export type FindingKind = 'safety' | 'liveness';

export interface SeedResult {
  readonly protocol: string;
  readonly seed: number;
  readonly bug: string | null;
  readonly status: 'ok' | FindingKind;
  /** The violated invariant, or `liveness` when requests were still outstanding at the end. */
  readonly invariant: string | null;
  readonly message: string | null;
  readonly digest: string;
  readonly events: number;
  readonly faults: number;
  readonly requests: number;
  readonly completed: number;
  /** When the first violation happened, ms (null without one). */
  readonly violationMs: number | null;
}

export interface FuzzJob {
  readonly protocol: string;
  readonly seeds: readonly number[];
  readonly bug?: string;
  /** Overrides for the generator (e.g. only 5-node clusters, for benchmarks). */
  readonly generate?: GenerateOptions;
}

/** Runs a scenario object and classifies it as ok, a safety finding or a liveness finding. */
export function judgeScenario(scenario: Record<string, unknown>, label: string): Omit<SeedResult, 'protocol' | 'seed' | 'bug'> {
  const { spec } = loadScenarioObject(scenario, label);
  const { result } = simulate(spec);
  const requests = spec.clients.reduce((sum, client) => sum + Math.max(client.operations, client.script.length), 0);
  const completed = result.metrics.requests.completed;
  const first = result.violations[0];
  const base = { digest: result.digest, events: result.events, faults: spec.faults.length, requests, completed, violationMs: first === undefined ? null : first.t / 1000 };
  if (first !== undefined) return { ...base, status: 'safety', invariant: first.invariant, message: first.message.split('\n')[0] ?? first.message };
  if (completed < requests) {
    return { ...base, status: 'liveness', invariant: 'liveness', message: `${requests - completed} of ${requests} requests still outstanding after every fault healed and the stable period passed` };
  }
  return { ...base, status: 'ok', invariant: null, message: null };
}

export function runSeed(protocolName: string, seed: number, bug?: string, generate: GenerateOptions = {}): SeedResult {
  const protocol = getProtocol(protocolName);
  const scenario = generateScenario(protocol, seed, bug === undefined ? generate : { ...generate, bug });
  return { protocol: protocolName, seed, bug: bug ?? null, ...judgeScenario(scenario, `fuzz seed ${seed}`) };
}

export function runJob(job: FuzzJob): SeedResult[] {
  return job.seeds.map((seed) => runSeed(job.protocol, seed, job.bug, job.generate));
}
