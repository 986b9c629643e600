/**
 * The invariant framework's seam. An invariant is a named property with a
 * monitor that watches the event stream (and, online, the replicas'
 * `inspect()` views). Monitors keep their own history variables; they observe
 * the run and never drive it.
 */
import type { TraceEvent, TraceEventType } from './events.js';
import type { NodeId } from './types.js';

/** What a monitor is told about the run it watches. */
export interface InvariantSetup {
  readonly nodes: readonly NodeId[];
  /** The protocol's resolved options (quorum sizes and the like). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a monitor can look at and how it reports. */
export interface World {
  /** The current simulated time, µs. */
  readonly now: number;
  /** The replica's `inspect()` view; undefined when the node is down or when checking a trace offline. */
  view(node: NodeId): unknown;
  /** True when the run is live (views are available), false when checking a trace file. */
  readonly online: boolean;
  /** Reports a violation of this invariant. */
  violation(message: string, nodes: readonly NodeId[]): void;
}

export interface InvariantMonitor {
  /** The event types `onEvent` wants; all of them when absent. Lets the runner skip the rest cheaply. */
  readonly eventTypes?: readonly TraceEventType[];
  /** Called for every trace event (of `eventTypes`), in order. */
  onEvent?(event: TraceEvent, world: World): void;
  /** Called after a node finished handling an event (online only): the place for state invariants. */
  onStep?(node: NodeId, world: World): void;
  /** Called once when the run ends. */
  onEnd?(world: World): void;
}

export interface Invariant {
  /** Dotted name, `paxos.one-value-per-slot`; generic ones have no prefix. */
  readonly name: string;
  /** One sentence: the property, in the paper's words where possible. */
  readonly description: string;
  /** `events` invariants can run offline over a trace file; `state` ones need live views. */
  readonly needs: 'events' | 'state';
  create(setup: InvariantSetup): InvariantMonitor;
}
