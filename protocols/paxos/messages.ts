/**
 * Paxos messages, one per arrow of the protocol (Paxos Made Simple §2.2–2.3),
 * plus the learner's catch-up. A value is a client command, or null for a
 * no-op that fills a slot nobody else will.
 */
import type { Ballot, Command } from '../../src/api/index.js';

export type Value = Command | null;

/** Phase 1a: "promise not to accept anything below `ballot` in `slot`". */
export interface Prepare {
  readonly type: 'prepare';
  readonly slot: number;
  readonly ballot: Ballot;
}

/** Phase 1b: the promise, with the highest-ballot value this acceptor accepted in the slot. */
export interface Promise {
  readonly type: 'promise';
  readonly slot: number;
  readonly ballot: Ballot;
  readonly accepted?: { readonly ballot: Ballot; readonly value: Value };
}

/** Phase 2a: "accept `value` in `slot` at `ballot`". */
export interface Accept {
  readonly type: 'accept';
  readonly slot: number;
  readonly ballot: Ballot;
  readonly value: Value;
}

/** Phase 2b: the acceptor accepted; sent to the proposer, the distinguished learner. */
export interface Accepted {
  readonly type: 'accepted';
  readonly slot: number;
  readonly ballot: Ballot;
  readonly value: Value;
}

/** A refusal: the acceptor promised a higher ballot (an optimisation the paper suggests in §2.3). */
export interface Nack {
  readonly type: 'nack';
  readonly slot: number;
  readonly ballot: Ballot;
  readonly promised: Ballot;
}

/** The proposer tells the other learners what was chosen. */
export interface Chosen {
  readonly type: 'chosen';
  readonly slot: number;
  readonly value: Value;
}

/** A learner with a gap asks what was chosen from `from` on. */
export interface CatchUp {
  readonly type: 'catch-up';
  readonly from: number;
}

/** The answer: chosen values this node knows, from the slot asked for. */
export interface ChosenBatch {
  readonly type: 'chosen-batch';
  readonly entries: readonly { readonly slot: number; readonly value: Value }[];
}

export type PaxosMessage = Prepare | Promise | Accept | Accepted | Nack | Chosen | CatchUp | ChosenBatch;

/** `bob#1`, or `noop`. */
export function valueKey(value: Value): string {
  return value === null ? 'noop' : value.id;
}
