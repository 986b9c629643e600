/**
 * Leader elections, measured from what nodes report (`observe` events) and the
 * faults the nemesis injects.
 *
 * A leader is lost when it crashes, pauses, is wiped or steps down, or when a
 * partition leaves it without a majority. The loss ends when some node leads
 * a later term. A leader can also be replaced without any of those (lost
 * heartbeats): then the gap runs from the first campaign for a term above the
 * old leader's. A node that campaigns alone behind a partition while the
 * majority keeps its leader is not a loss. The first election after boot is
 * reported apart from the losses.
 */
import type { TraceEvent } from '../api/events.js';
import type { Micros, NodeId } from '../api/types.js';

export interface ElectionSummary {
  /** Campaigns started (candidate events). */
  readonly count: number;
  /** Terms (views, ballots) in which some node became leader. */
  readonly leaderTerms: number;
  /** The highest term any node reported. */
  readonly highestTerm: number;
  /** Terms with a campaign but no leader: split votes and lost elections. */
  readonly splitVotes: number;
  /** Time from boot to the first leader, ms (undefined when none was elected). */
  readonly firstLeaderMs: number | undefined;
  /** For each leader loss, the time until a new leader, ms. */
  readonly timeToLeaderMs: number[];
  /** Total time without a leader the nodes agree on (boot included), ms. */
  readonly unavailableMs: number;
}

export class ElectionTracker {
  private leader: { node: NodeId; term: number } | undefined;
  private lostAt: Micros | undefined = 0;
  private booting = true;
  private firstLeader: Micros | undefined;
  private readonly gaps: Micros[] = [];
  private unavailable: Micros = 0;
  private campaigns = 0;
  /** The first campaign for each term (to date a replacement nobody announced). */
  private readonly campaignStart = new Map<number, Micros>();
  private readonly leaderTerms = new Set<number>();
  private highestTerm = 0;
  private seenLeaderEvent = false;

  constructor(private readonly nodes: number) {}

  onEvent(event: TraceEvent): void {
    switch (event.type) {
      case 'observe': {
        const { kind, term } = event.event;
        if (typeof term === 'number' && term > this.highestTerm) this.highestTerm = term;
        if (kind === 'candidate') {
          this.campaigns++;
          if (typeof term === 'number' && !this.campaignStart.has(term)) this.campaignStart.set(term, event.t);
        } else if (kind === 'leader' && typeof term === 'number') {
          this.seenLeaderEvent = true;
          this.leaderTerms.add(term);
          if (!this.leader || term > this.leader.term || this.lostAt !== undefined) this.gain(event.node, term, event.t);
        } else if (kind === 'follower' && this.leader?.node === event.node) {
          this.lose(event.t);
        }
        return;
      }
      case 'crash':
      case 'pause':
      case 'wipe':
        if (this.leader?.node === event.node) this.lose(event.t);
        return;
      case 'partition': {
        const leader = this.leader;
        if (leader === undefined) return;
        const side = event.groups.find((group) => group.includes(leader.node));
        if (side !== undefined && side.length <= this.nodes / 2) this.lose(event.t);
        return;
      }
      default:
        return;
    }
  }

  private lose(at: Micros): void {
    if (this.lostAt === undefined) this.lostAt = at;
  }

  private gain(node: NodeId, term: number, at: Micros): void {
    let since = this.lostAt;
    if (since === undefined && this.leader !== undefined) {
      // Replaced without a loss we saw: date it from the first campaign above the old term.
      for (const [campaignTerm, start] of this.campaignStart) {
        if (campaignTerm > this.leader.term && campaignTerm <= term && (since === undefined || start < since)) since = start;
      }
    }
    if (since !== undefined) {
      const gap = at - since;
      this.unavailable += gap;
      if (this.booting) this.firstLeader = at;
      else this.gaps.push(gap);
    }
    this.lostAt = undefined;
    this.booting = false;
    this.leader = { node, term };
  }

  summary(end: Micros): ElectionSummary {
    let unavailable = this.unavailable;
    if (this.lostAt !== undefined && this.seenLeaderEvent) unavailable += end - this.lostAt;
    let splitVotes = 0;
    for (const term of this.campaignStart.keys()) if (!this.leaderTerms.has(term)) splitVotes++;
    return {
      count: this.campaigns,
      leaderTerms: this.leaderTerms.size,
      highestTerm: this.highestTerm,
      splitVotes,
      firstLeaderMs: this.firstLeader === undefined ? undefined : this.firstLeader / 1000,
      timeToLeaderMs: this.gaps.map((gap) => gap / 1000),
      unavailableMs: unavailable / 1000,
    };
  }

  /** True when the protocol reports leaders at all (leaderless protocols do not). */
  get hasLeaders(): boolean {
    return this.seenLeaderEvent;
  }
}
