/**
 * A run, fully resolved: every default filled in, every duration in µs, every
 * name checked. The scenario loader is the only thing that builds one; the
 * simulation, `replay` and the fuzzer all start from it.
 */
import type { Micros, NodeId } from '../api/types.js';
import type { NetworkConfig } from '../net/network.js';
import type { ClientSpec } from '../workload/client.js';

/** Whom a fault hits, decided when it fires. */
export type Target =
  | { readonly kind: 'nodes'; readonly nodes: readonly NodeId[] }
  | { readonly kind: 'leader' | 'random' | 'minority' | 'majority' | 'all' | 'followers' };

export type FaultAction =
  | { readonly kind: 'crash' | 'restart' | 'pause' | 'resume' | 'wipe'; readonly target: Target }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly kind: 'isolate'; readonly target: Target }
  | { readonly kind: 'cut'; readonly from: Target; readonly to: Target }
  | { readonly kind: 'heal' }
  | { readonly kind: 'drift'; readonly target: Target; readonly rate: number };

export interface FaultSpec {
  /** First firing time, µs. */
  readonly at: Micros;
  /** Each firing happens at a uniformly random moment in [at, at + within]. */
  readonly within: Micros;
  /** Interval between repetitions (with count > 1). */
  readonly every: Micros;
  readonly count: number;
  /** When set, the fault is undone after this long (restart, resume, heal, rate 1). */
  readonly duration: Micros | undefined;
  readonly action: FaultAction;
  /** Where it came from, for messages: `faults[2]`. */
  readonly label: string;
}

export interface Expectations {
  readonly safety: 'hold' | 'violated';
  /** The invariant that must be violated. */
  readonly violation?: string;
  readonly completed?: { readonly atLeast?: number; readonly atMost?: number };
  /** Upper bounds on client latency, µs. */
  readonly latency?: { readonly p50?: Micros; readonly p99?: Micros; readonly max?: Micros };
  /** Results the named clients must see, for their n-th operation (1-based). */
  readonly results?: readonly { readonly client: string; readonly nth: number; readonly ok?: boolean; readonly value?: string | null }[];
  /** Bounds on requests completed inside time windows [from, to), µs: "no progress while the majority is down". */
  readonly completedDuring?: readonly { readonly from: Micros; readonly to: Micros; readonly atLeast?: number; readonly atMost?: number }[];
}

export interface RunSpec {
  readonly name: string;
  readonly description: string;
  readonly protocol: string;
  /** Protocol options, parsed (durations in µs). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly bug: string | undefined;
  readonly seed: number;
  readonly nodes: readonly NodeId[];
  readonly clocks: Readonly<Record<NodeId, { readonly skew: Micros; readonly rate: number }>>;
  readonly network: Omit<NetworkConfig, 'nodes'>;
  readonly clients: readonly ClientSpec[];
  readonly faults: readonly FaultSpec[];
  readonly until: Micros;
  /** End as soon as every client is done and no fault is pending. */
  readonly stopWhenDone: boolean;
  /** A hard bound on processed events, so that no scenario can run away. */
  readonly maxEvents: number;
  readonly expect: Expectations;
}
