/**
 * Paxos safety properties (Paxos Made Simple §2.1–2.2), checked from what
 * acceptors, proposers and learners report (`observe`) as they act. The
 * checker keeps its own history: who accepted what, at which ballot.
 */
import { type Ballot, compareBallots, formatBallot, type Invariant, type NodeId, type TraceEvent, type World } from '../../src/api/index.js';
import { quorumSizes } from './options.js';

interface Observed {
  readonly node: NodeId;
  readonly kind: string;
  readonly slot: number;
  readonly ballot: Ballot;
  readonly value: string;
}

function observed(event: TraceEvent): Observed | undefined {
  if (event.type !== 'observe') return undefined;
  const e = event.event as { kind: string; slot?: number; ballot?: Ballot; value?: string };
  if (typeof e.slot !== 'number') return undefined;
  return { node: event.node, kind: e.kind, slot: e.slot, ballot: e.ballot as Ballot, value: e.value as string };
}

function phase2Quorum(setup: { nodes: readonly NodeId[]; options: Readonly<Record<string, unknown>> }): number {
  const configured = setup.options.phase2Quorum;
  return quorumSizes({ phase2Quorum: typeof configured === 'number' ? configured : undefined }, setup.nodes.length).q2;
}

/**
 * Agreement: at most one value is chosen per slot, where chosen means accepted
 * by a phase-2 quorum at the same ballot; and a learner only learns the chosen value.
 */
export const oneValuePerSlot: Invariant = {
  name: 'paxos.one-value-per-slot',
  description: 'At most one value is chosen for each slot (accepted by a phase-2 quorum at one ballot), and learners learn only that value.',
  needs: 'events',
  create(setup) {
    const quorum = phase2Quorum(setup);
    const acceptances = new Map<string, Set<NodeId>>();
    const chosen = new Map<number, { value: string; ballot: Ballot }>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const o = observed(event);
        if (o === undefined) return;
        if (o.kind === 'accept') {
          const key = `${o.slot}|${formatBallot(o.ballot)}|${o.value}`;
          let acceptors = acceptances.get(key);
          if (acceptors === undefined) acceptances.set(key, (acceptors = new Set()));
          acceptors.add(o.node);
          if (acceptors.size !== quorum) return;
          const earlier = chosen.get(o.slot);
          if (earlier === undefined) chosen.set(o.slot, { value: o.value, ballot: o.ballot });
          else if (earlier.value !== o.value) {
            world.violation(`slot ${o.slot}: ${o.value} was chosen at ballot ${formatBallot(o.ballot)} (accepted by ${[...acceptors].join(', ')}) after ${earlier.value} was chosen at ballot ${formatBallot(earlier.ballot)}`, [...acceptors]);
          }
        } else if (o.kind === 'commit') {
          const truth = chosen.get(o.slot);
          if (truth === undefined) world.violation(`${o.node} learned ${o.value} for slot ${o.slot}, which no phase-2 quorum accepted`, [o.node]);
          else if (truth.value !== o.value) world.violation(`${o.node} learned ${o.value} for slot ${o.slot}, but ${truth.value} was chosen`, [o.node]);
        }
      },
    };
  },
};

/** An acceptor's promise never goes back: it never promises or accepts below a ballot it promised. */
export const promiseMonotonic: Invariant = {
  name: 'paxos.promise-monotonic',
  description: "An acceptor's promised ballot never decreases: it never promises or accepts below a ballot it promised in that slot.",
  needs: 'events',
  create() {
    const promised = new Map<string, Ballot>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const o = observed(event);
        if (o === undefined || (o.kind !== 'promise' && o.kind !== 'accept')) return;
        const key = `${o.node}|${o.slot}`;
        const before = promised.get(key);
        if (before !== undefined && compareBallots(o.ballot, before) < 0) {
          world.violation(`${o.node} ${o.kind === 'promise' ? 'promised' : 'accepted'} ballot ${formatBallot(o.ballot)} in slot ${o.slot} after promising ${formatBallot(before)}`, [o.node]);
          return;
        }
        promised.set(key, o.ballot);
      },
    };
  },
};

/** A value accepted at ballot b is the value b's proposer proposed (phase 2a) in that slot. */
export const acceptedWasProposed: Invariant = {
  name: 'paxos.accepted-was-proposed',
  description: "A value an acceptor accepts at ballot b is the value that b's proposer proposed for that slot.",
  needs: 'events',
  create() {
    const proposals = new Map<string, string>();
    return {
      eventTypes: ['observe'],
      onEvent(event: TraceEvent, world: World) {
        const o = observed(event);
        if (o === undefined) return;
        const key = `${o.slot}|${formatBallot(o.ballot)}`;
        if (o.kind === 'propose') {
          const earlier = proposals.get(key);
          if (earlier !== undefined && earlier !== o.value) world.violation(`${o.node} proposed both ${earlier} and ${o.value} at ballot ${formatBallot(o.ballot)} in slot ${o.slot}`, [o.node]);
          proposals.set(key, o.value);
        } else if (o.kind === 'accept') {
          const proposed = proposals.get(key);
          if (proposed === undefined) world.violation(`${o.node} accepted ${o.value} at ballot ${formatBallot(o.ballot)} in slot ${o.slot}, which nobody proposed`, [o.node]);
          else if (proposed !== o.value) world.violation(`${o.node} accepted ${o.value} at ballot ${formatBallot(o.ballot)} in slot ${o.slot}, but that ballot proposed ${proposed}`, [o.node, o.ballot.node]);
        }
      },
    };
  },
};

export const paxosInvariants: readonly Invariant[] = [oneValuePerSlot, promiseMonotonic, acceptedWasProposed];
