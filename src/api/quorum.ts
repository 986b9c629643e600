/**
 * Quorum arithmetic, kept pure and in one place (as etcd-raft keeps its
 * `quorum/` package), so no protocol re-derives it.
 */

/** The number of failures a cluster of `n` tolerates with majority quorums: F = ⌊(n−1)/2⌋. */
export function maxFailures(n: number): number {
  return Math.floor((n - 1) / 2);
}

/** The size of a majority of `n`: F + 1 = ⌊n/2⌋ + 1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** True when any q1-set and any q2-set of `n` members must share at least one member. */
export function quorumsIntersect(n: number, q1: number, q2: number): boolean {
  return q1 + q2 > n;
}

/**
 * Counts votes from distinct voters. Duplicated messages are the network's
 * normal behaviour, so a voter counts once however often it answers.
 */
export class VoteSet<V extends string = string> {
  private readonly granted = new Set<V>();
  private readonly refused = new Set<V>();

  /** Records a vote; returns false when this voter had already voted. */
  add(voter: V, grant = true): boolean {
    if (this.granted.has(voter) || this.refused.has(voter)) return false;
    (grant ? this.granted : this.refused).add(voter);
    return true;
  }

  get grants(): number {
    return this.granted.size;
  }

  get refusals(): number {
    return this.refused.size;
  }

  has(voter: V): boolean {
    return this.granted.has(voter) || this.refused.has(voter);
  }

  /** The voters that granted, in the order they voted. */
  voters(): V[] {
    return [...this.granted];
  }
}
