/**
 * Ballot numbers for the Paxos family: a (round, node) pair, so two proposers
 * never use the same ballot (Paxos Made Simple §2.2: "different proposers
 * choose their numbers from disjoint sets"). Ordered by round, then node.
 */
import type { NodeId } from './types.js';

export interface Ballot {
  readonly round: number;
  readonly node: NodeId;
}

/** The index in `n12` (12); ids that are not `n<number>` sort after, by name. */
export function nodeIndex(node: NodeId): number {
  const match = /^n(\d+)$/.exec(node);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

/** Negative, zero or positive as a is below, equal to or above b; undefined is below every ballot. */
export function compareBallots(a: Ballot | undefined, b: Ballot | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.round !== b.round) return a.round - b.round;
  const byIndex = nodeIndex(a.node) - nodeIndex(b.node);
  if (byIndex !== 0) return byIndex;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** `3.n2` */
export function formatBallot(ballot: Ballot | undefined): string {
  return ballot === undefined ? '⊥' : `${ballot.round}.${ballot.node}`;
}

export function sameBallot(a: Ballot | undefined, b: Ballot | undefined): boolean {
  return compareBallots(a, b) === 0;
}
