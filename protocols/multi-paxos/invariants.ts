/**
 * Multi-Paxos safety properties, checked from what acceptors, leaders and
 * replicas report (`observe`) as they act. Each checker keeps its own history
 * variables (who accepted what at which ballot, which quorum adopted a
 * ballot) and never asks a replica what it believes it recovered: the
 * recovered value of a slot is computed here from the acceptances of the
 * acceptors that promised.
 *
 * The two single-decree properties (at most one value chosen per slot, an
 * accepted value was proposed at its ballot) are Paxos's own checkers under
 * this protocol's name: Multi-Paxos is Paxos per slot with phase 1 shared.
 */
import { type Ballot, compareBallots, formatBallot, type Invariant, type NodeId, type TraceEvent, type World } from '../../src/api/index.js';
import { acceptedWasProposed, oneValuePerSlot as paxosOneValuePerSlot } from '../paxos/invariants.js';

/** At most one value is chosen (accepted by a phase-2 quorum at one ballot) per slot, and replicas learn only that value. */
export const oneValuePerSlot: Invariant = { ...paxosOneValuePerSlot, name: 'multi-paxos.one-value-per-slot' };

/** A value an acceptor accepts at ballot b is the value b's leader proposed for that slot. */
export const acceptedWasProposedAtBallot: Invariant = { ...acceptedWasProposed, name: 'multi-paxos.accepted-was-proposed' };

interface Reported {
  readonly kind: string;
  readonly slot?: number;
  readonly ballot?: Ballot;
  readonly value?: string;
  readonly quorum?: readonly NodeId[];
}

function protocolEvent(event: TraceEvent): Reported | undefined {
  return event.type === 'observe' ? (event.event as Reported) : undefined;
}

/**
 * PMS §2.2 P2c / PMMC's `pmax`: a leader proposes only at a ballot for which a
 * phase-1 quorum promised, and in a slot where any of those acceptors had
 * accepted a value below that ballot, it proposes the value with the highest
 * such ballot. Values accepted below ballot b were accepted before the
 * acceptor promised b (after the promise it refuses anything below b), so they
 * are exactly what its promise reported.
 */
export const recoveredValue: Invariant = {
  name: 'multi-paxos.recovered-value',
  description: "A leader's phase-2 value for a slot equals the highest-ballot value its phase-1 quorum reported for that slot, when one was reported; and it proposes only at a ballot that completed phase 1.",
  needs: 'events',
  create() {
    const acceptances = new Map<string, { ballot: Ballot; value: string }[]>();
    const quorums = new Map<string, readonly NodeId[]>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const e = protocolEvent(event);
        if (e === undefined || event.type !== 'observe') return;
        if (e.kind === 'accept' && e.slot !== undefined && e.ballot !== undefined && e.value !== undefined) {
          const key = `${event.node}|${e.slot}`;
          let list = acceptances.get(key);
          if (list === undefined) acceptances.set(key, (list = []));
          list.push({ ballot: e.ballot, value: e.value });
        } else if (e.kind === 'leader' && e.ballot !== undefined && e.quorum !== undefined) {
          quorums.set(formatBallot(e.ballot), e.quorum);
        } else if (e.kind === 'propose' && e.slot !== undefined && e.ballot !== undefined && e.value !== undefined) {
          const quorum = quorums.get(formatBallot(e.ballot));
          if (quorum === undefined) {
            world.violation(`${event.node} proposed ${e.value} for slot ${e.slot} at ballot ${formatBallot(e.ballot)}, which no phase-1 quorum adopted`, [event.node]);
            return;
          }
          let best: { ballot: Ballot; value: string; node: NodeId } | undefined;
          for (const voter of quorum) {
            for (const accepted of acceptances.get(`${voter}|${e.slot}`) ?? []) {
              if (compareBallots(accepted.ballot, e.ballot) >= 0) continue;
              if (best === undefined || compareBallots(accepted.ballot, best.ballot) > 0) best = { ...accepted, node: voter };
            }
          }
          if (best !== undefined && best.value !== e.value) {
            world.violation(
              `${event.node} proposed ${e.value} for slot ${e.slot} at ballot ${formatBallot(e.ballot)}, but its phase-1 quorum (${quorum.join(', ')}) reported ${best.value} accepted at ${formatBallot(best.ballot)} by ${best.node}`,
              [...new Set([event.node, best.node])],
            );
          }
        }
      },
    };
  },
};

/** PMS §2.2 P1a: an acceptor's ballot (what it promised, or accepted at) never goes down, across restarts too. */
export const ballotMonotonic: Invariant = {
  name: 'multi-paxos.ballot-monotonic',
  description: "An acceptor's ballot never decreases: it never promises or accepts below a ballot it promised before, crashes and restarts included.",
  needs: 'events',
  create() {
    const ballots = new Map<NodeId, Ballot>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const e = protocolEvent(event);
        if (e === undefined || event.type !== 'observe' || e.ballot === undefined) return;
        if (e.kind !== 'promise' && e.kind !== 'accept') return;
        const before = ballots.get(event.node);
        if (before !== undefined && compareBallots(e.ballot, before) < 0) {
          world.violation(`${event.node} ${e.kind === 'promise' ? 'promised' : 'accepted in slot ' + String(e.slot) + ' at'} ballot ${formatBallot(e.ballot)} after promising ${formatBallot(before)}`, [event.node]);
          return;
        }
        ballots.set(event.node, e.ballot);
      },
    };
  },
};

/** Replicas agree slot by slot: every replica that learns a slot (and so executes it there) learns the same command. */
export const sameCommandPerSlot: Invariant = {
  name: 'multi-paxos.same-command-per-slot',
  description: 'Every replica, in every incarnation, learns and executes the same command (or no-op) for a given slot.',
  needs: 'events',
  create() {
    const learned = new Map<number, { value: string; node: NodeId }>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const e = protocolEvent(event);
        if (e === undefined || event.type !== 'observe' || e.kind !== 'commit' || e.slot === undefined || e.value === undefined) return;
        const first = learned.get(e.slot);
        if (first === undefined) learned.set(e.slot, { value: e.value, node: event.node });
        else if (first.value !== e.value) world.violation(`${event.node} executes ${e.value} in slot ${e.slot}, where ${first.node} executes ${first.value}`, [event.node, first.node]);
      },
    };
  },
};

export const multiPaxosInvariants: readonly Invariant[] = [oneValuePerSlot, recoveredValue, ballotMonotonic, sameCommandPerSlot, acceptedWasProposedAtBallot];
