/**
 * Multi-Paxos messages, one per arrow of "Paxos Made Moderately Complex"
 * (PMMC §2: p1a/p1b between a scout and the acceptors, p2a/p2b between a
 * commander and the acceptors, preempted), plus the learners' catch-up.
 *
 * Phase 1 is run once for every slot from `from` on; phase 2 is per slot. The
 * leader's `accept` doubles as its heartbeat (no entries) and carries the
 * commit point, so followers learn decisions piggybacked on the next accept
 * instead of in a message of their own. A value is a client command, or null
 * for a no-op that fills a hole.
 */
import type { Ballot, Micros } from '../../src/api/index.js';
import type { CatchUp, ChosenBatch, Value } from '../paxos/messages.js';

// Values, no-ops and the learners' catch-up are single-decree Paxos's own.
export type { CatchUp, ChosenBatch, Value } from '../paxos/messages.js';
export { valueKey } from '../paxos/messages.js';

/** A pvalue (PMMC): a value accepted in a slot at a ballot. */
export interface PValue {
  readonly slot: number;
  readonly ballot: Ballot;
  readonly value: Value;
}

/** Phase 1a (p1a): "promise not to accept below `ballot`, and report what you accepted from slot `from` on". */
export interface Prepare {
  readonly type: 'prepare';
  readonly ballot: Ballot;
  readonly from: number;
}

/** Phase 1b (p1b): the promise, with the highest-ballot pvalue this acceptor accepted in each slot ≥ `from`. */
export interface Promise {
  readonly type: 'promise';
  readonly ballot: Ballot;
  readonly accepted: readonly PValue[];
}

/**
 * Phase 2a (p2a) for each entry, a heartbeat when there is none. `chosen`: every
 * slot up to it is decided (the commit point, piggybacked). `sentAt`: the
 * leader's local clock when it sent this, echoed back so it can time its lease.
 */
export interface Accept {
  readonly type: 'accept';
  readonly ballot: Ballot;
  readonly entries: readonly { readonly slot: number; readonly value: Value }[];
  readonly chosen: number;
  readonly sentAt: Micros;
}

/** Phase 2b (p2b): the acceptor accepted these slots at `ballot` (none for a heartbeat); also a lease grant. */
export interface Accepted {
  readonly type: 'accepted';
  readonly ballot: Ballot;
  readonly slots: readonly number[];
  readonly sentAt: Micros;
}

/** Preempted (PMMC §2): the acceptor has promised `promised`, above the `ballot` it was asked for. */
export interface Nack {
  readonly type: 'nack';
  readonly ballot: Ballot;
  readonly promised: Ballot;
}

export type MultiPaxosMessage = Prepare | Promise | Accept | Accepted | Nack | CatchUp | ChosenBatch;
