/**
 * The one seam every protocol plugs into. A protocol folder exports a
 * `ProtocolDefinition`; its replicas are event handlers with no I/O that act
 * only through the `Context` the simulator hands them.
 */
import type { z } from 'zod';
import type { ProtocolEvent } from './events.js';
import type { Invariant } from './invariant.js';
import type { Command, Micros, NodeId, Result } from './types.js';

/** Every protocol message is a plain, immutable object with a `type` tag. */
export interface Message {
  readonly type: string;
}

/**
 * Stable storage: the only state that survives a crash (a `wipe` fault loses it
 * too). Values must be plain data; they are deep-frozen when written, so a
 * replica cannot change a persisted value behind the disk's back.
 */
export interface StableStorage {
  get<T>(key: string): T | undefined;
  /** Writes durably: the write is on disk before any effect of the same handler is visible. */
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * Everything a replica may do. Sends, timers and replies are recorded and
 * applied by the host after the handler returns; `execute` and storage act at
 * once. There is nothing else a replica can reach.
 */
export interface Context<M extends Message> {
  readonly id: NodeId;
  /** Every node of the cluster, this one included, in id order. */
  readonly nodes: readonly NodeId[];
  /** This node's local clock, µs. It may drift and skew; it is never global truth. */
  now(): Micros;
  send(to: NodeId, msg: M): void;
  /** Sends to every other node. */
  broadcast(msg: M): void;
  /** Arms (or re-arms) the named timer to fire after `after` µs of this node's local time. */
  setTimer(name: string, after: Micros): void;
  cancelTimer(name: string): void;
  /** A number in [0, 1) from this node's own seeded stream. */
  random(): number;
  /** An integer in [min, max] from this node's own stream (timeouts, backoffs). */
  randomBetween(min: number, max: number): number;
  readonly storage: StableStorage;
  /**
   * Applies a command to this node's copy of the key-value store, exactly once
   * per command id. `local: true` marks a read answered outside the replicated
   * order (a lease read, ReadIndex, or a bug that reads locally): it reads the
   * store without touching the replicated client table, and the conflict-order
   * check leaves it to linearizability. Only reads may be local.
   */
  execute(command: Command, options?: { readonly local?: boolean }): Result;
  /** Sends the result to the client that issued the command. */
  reply(command: Command, result: Result): void;
  /** Tells the client to try another node (the leader this node believes in), or just "not me". */
  redirect(command: Command, leader?: NodeId): void;
  /** Reports a role change, decision or other fact for checkers and metrics. */
  observe(event: ProtocolEvent): void;
}

/** A replica: the protocol's state on one node and its handlers. */
export interface Replica<M extends Message> {
  /** Boot, and boot again after a crash: volatile state is gone, only `ctx.storage` remains. */
  start(): void;
  receive(from: NodeId, msg: M): void;
  timeout(name: string): void;
  /** A client command arrives at this node. */
  request(command: Command): void;
  /** A plain-data view of the state for checkers, traces and debugging. */
  inspect(): unknown;
}

/** Where clients send their commands. */
export type ClientPolicy = 'leader' | 'any' | 'nearest' | 'broadcast';

export interface ProtocolDefinition<M extends Message = Message, O extends object = Record<string, unknown>> {
  /** The name used in scenario files and on the command line: `raft`, `multi-paxos`. */
  readonly name: string;
  readonly title: string;
  /** The citation shown by `parliament list`. */
  readonly paper: string;
  /** A zod object schema of the options, with defaults; unknown options are refused. */
  readonly options: z.ZodType<O>;
  readonly clientPolicy: ClientPolicy;
  /** Named, deliberately wrong variants, each with what it breaks. */
  readonly bugs: Readonly<Record<string, string>>;
  /** The fewest nodes the protocol runs on (fast quorums need more than 3 for some). */
  readonly minNodes?: number;
  /**
   * Checks options against the cluster size (e.g. q1 + q2 > n); returns an error
   * message, with the option's name, when they cannot work together.
   */
  validate?(options: O, nodes: number): { field: string; message: string } | undefined;
  create(ctx: Context<M>, options: O, bug: string | undefined): Replica<M>;
  /** The paper's safety properties, checked over the trace and views. */
  invariants(options: O): readonly Invariant[];
  /**
   * Options for a generated fuzz scenario, written as in a scenario file
   * (e.g. a narrow election timeout now and then, extensions on or off).
   * `random` is the seed's own stream. Without it, fuzzing uses the defaults.
   */
  fuzzOptions?(random: () => number, nodes: number): Record<string, unknown>;
  /** One-line rendering of a message for readable traces: `prepare b=1.n1 slot=1`. */
  formatMessage?(msg: M): string;
}
