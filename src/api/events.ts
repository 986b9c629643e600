/**
 * The trace event union: everything that happens in a run, as plain data.
 * Checkers, metrics, the JSONL trace and the digest all consume this stream.
 */
import type { ClientId, Command, Micros, NodeId, Result } from './types.js';

/** A node or a client: anything with an address on the simulated network. */
export type Endpoint = NodeId | ClientId;

/**
 * A protocol's report about itself, made through `ctx.observe`. A few kinds
 * are understood by the simulator (metrics, the `leader` fault target):
 * - `{ kind: 'leader', term }`: this node now leads term/view/ballot `term`
 * - `{ kind: 'follower', term, leader? }`: this node follows (or stepped down)
 * - `{ kind: 'candidate', term }`: this node started an election for `term`
 * - `{ kind: 'commit', slot, command? }`: this node learned that `slot` is decided
 * Everything else is protocol-specific data that its invariants read.
 */
export interface ProtocolEvent {
  readonly kind: string;
  readonly term?: number;
  readonly [field: string]: unknown;
}

/** Why the network did not deliver a message. */
export type DropReason = 'loss' | 'partition' | 'down';

interface At {
  /** Simulated global time of the event, in microseconds. */
  readonly t: Micros;
}

export type SendEvent = At & { readonly type: 'send'; readonly id: number; readonly from: Endpoint; readonly to: Endpoint; readonly msg: { readonly type: string } };
export type DeliverEvent = At & { readonly type: 'deliver'; readonly id: number; readonly from: Endpoint; readonly to: Endpoint };
export type DropEvent = At & { readonly type: 'drop'; readonly id: number; readonly from: Endpoint; readonly to: Endpoint; readonly reason: DropReason };
export type DuplicateEvent = At & { readonly type: 'duplicate'; readonly id: number; readonly from: Endpoint; readonly to: Endpoint };
export type TimerEvent = At & { readonly type: 'timer'; readonly node: NodeId; readonly name: string; readonly late?: Micros };
export type PersistEvent = At & { readonly type: 'persist'; readonly node: NodeId; readonly key: string };
export type ObserveEvent = At & { readonly type: 'observe'; readonly node: NodeId; readonly event: ProtocolEvent };
export type ExecuteEvent = At & {
  readonly type: 'execute';
  readonly node: NodeId;
  readonly incarnation: number;
  readonly command: Command;
  readonly result: Result;
  /** False when the client table recognised a retry or a stale request and did not apply it again. */
  readonly applied: boolean;
  /** A read served outside the replicated order (lease or ReadIndex): judged by linearizability alone. */
  readonly local?: true;
};

/** A client invokes an operation (the start of a linearizability history entry). */
export type InvokeEvent = At & { readonly type: 'invoke'; readonly client: ClientId; readonly command: Command };
/** A client receives the result of its operation. */
export type CompleteEvent = At & { readonly type: 'complete'; readonly client: ClientId; readonly cmd: string; readonly result: Result; readonly node: NodeId; readonly attempts: number };
/** A client stops waiting: the operation may or may not have taken effect. */
export type GiveUpEvent = At & { readonly type: 'give-up'; readonly client: ClientId; readonly cmd: string; readonly attempts: number };

export type FaultEvent = At & (
  | { readonly type: 'crash'; readonly node: NodeId }
  | { readonly type: 'restart'; readonly node: NodeId }
  | { readonly type: 'wipe'; readonly node: NodeId }
  | { readonly type: 'pause'; readonly node: NodeId }
  | { readonly type: 'resume'; readonly node: NodeId }
  | { readonly type: 'drift'; readonly node: NodeId; readonly rate: number }
  | { readonly type: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly type: 'cut'; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] }
  | { readonly type: 'heal' }
  | { readonly type: 'fault-skipped'; readonly fault: string; readonly why: string }
);

export type ViolationEvent = At & { readonly type: 'violation'; readonly invariant: string; readonly message: string; readonly nodes: readonly NodeId[] };

export type TraceEvent =
  | SendEvent
  | DeliverEvent
  | DropEvent
  | DuplicateEvent
  | TimerEvent
  | PersistEvent
  | ObserveEvent
  | ExecuteEvent
  | InvokeEvent
  | CompleteEvent
  | GiveUpEvent
  | FaultEvent
  | ViolationEvent;

export type TraceEventType = TraceEvent['type'];
