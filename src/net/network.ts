/**
 * The simulated network: which messages arrive, when, and how many times.
 *
 * Links are directed. Each has a latency (a fixed base, such as half a WAN
 * round trip, plus a drawn part), a drop and a duplicate probability, and is
 * FIFO only when asked; otherwise independent draws reorder messages. Loss,
 * duplication and delay come from the network's own random stream only.
 *
 * Clients are endpoints too: a client lives at a home node (its site), talks
 * to that node over `clientLatency`, to any other node over the home node's
 * link, and is on its home node's side of every partition.
 */
import type { Endpoint, DropReason } from '../api/events.js';
import type { Micros, NodeId } from '../api/types.js';
import type { Rng } from '../sim/rng.js';
import { type LatencySpec, medianLatency, sampleLatency } from './latency.js';

/** The behaviour of one directed link. */
export interface LinkSpec {
  /** Added to every draw: half the round trip between two sites, 0 within a site. */
  readonly baseLatency: Micros;
  readonly latency: LatencySpec;
  readonly dropProbability: number;
  readonly duplicateProbability: number;
  readonly fifo: boolean;
}

/** A link override from a scenario: applies to every directed pair from → to. */
export interface LinkOverride {
  readonly from: readonly NodeId[];
  readonly to: readonly NodeId[];
  readonly latency?: LatencySpec;
  readonly dropProbability?: number;
  readonly duplicateProbability?: number;
  readonly fifo?: boolean;
}

/** Sites with a round-trip matrix: a WAN described by place names. */
export interface SiteLayout {
  /** Each node's site. */
  readonly siteOf: Readonly<Record<NodeId, string>>;
  /** Round-trip time between two sites, µs; symmetric, taken as written. */
  readonly rtt: Readonly<Record<string, Readonly<Record<string, Micros>>>>;
  /** Added to half the RTT on every cross-site message. */
  readonly jitter: LatencySpec;
}

export interface NetworkConfig {
  readonly nodes: readonly NodeId[];
  /** Node-to-node latency within a site (or everywhere without sites). */
  readonly latency: LatencySpec;
  /** Between a client and its home node. */
  readonly clientLatency: LatencySpec;
  readonly dropProbability: number;
  readonly duplicateProbability: number;
  readonly fifo: boolean;
  readonly sites?: SiteLayout;
  readonly links: readonly LinkOverride[];
}

/** What the network decided for one message. */
export type Transit = { readonly delays: readonly Micros[] } | { readonly dropped: DropReason };

export class Network {
  private readonly linkTable = new Map<string, LinkSpec>();
  private readonly clientLinks = new Map<NodeId, LinkSpec>();
  private readonly blocked = new Set<string>();
  private readonly lastArrival = new Map<string, Micros>();
  private readonly homes = new Map<Endpoint, NodeId>();
  /** Links by endpoint pair, resolved once (homes only change before a client starts, which clears it). */
  private readonly linkCache = new Map<Endpoint, Map<Endpoint, LinkSpec>>();

  constructor(
    private readonly config: NetworkConfig,
    private readonly rng: Rng,
  ) {
    for (const from of config.nodes) {
      for (const to of config.nodes) {
        if (from !== to) this.linkTable.set(linkKey(from, to), resolveLink(config, from, to));
      }
      this.clientLinks.set(from, {
        baseLatency: 0,
        latency: config.clientLatency,
        dropProbability: config.dropProbability,
        duplicateProbability: config.duplicateProbability,
        fifo: config.fifo,
      });
    }
    for (const node of config.nodes) this.homes.set(node, node);
  }

  /** Places a client at a node (its site); the client shares that node's side of partitions. */
  placeClient(client: Endpoint, home: NodeId): void {
    this.homes.set(client, home);
    this.linkCache.clear();
  }

  homeOf(endpoint: Endpoint): NodeId {
    const home = this.homes.get(endpoint);
    if (home === undefined) throw new Error(`unknown endpoint ${endpoint}`);
    return home;
  }

  /** The link a message from → to travels over. */
  link(from: Endpoint, to: Endpoint): LinkSpec {
    let row = this.linkCache.get(from);
    if (row === undefined) this.linkCache.set(from, (row = new Map()));
    let link = row.get(to);
    if (link === undefined) {
      const fromHome = this.homeOf(from);
      const toHome = this.homeOf(to);
      link = fromHome === toHome ? (this.clientLinks.get(fromHome) as LinkSpec) : (this.linkTable.get(linkKey(fromHome, toHome)) as LinkSpec);
      row.set(to, link);
    }
    return link;
  }

  /** True when a partition or cut stops messages from → to right now. */
  isBlocked(from: Endpoint, to: Endpoint): boolean {
    if (this.blocked.size === 0) return false;
    return this.blocked.has(linkKey(this.homeOf(from), this.homeOf(to)));
  }

  /**
   * Decides a message's fate at send time: dropped (and why), or delivered
   * once or twice after the drawn delays.
   */
  transmit(from: Endpoint, to: Endpoint, now: Micros): Transit {
    if (this.isBlocked(from, to)) return { dropped: 'partition' };
    const link = this.link(from, to);
    if (this.rng.chance(link.dropProbability)) return { dropped: 'loss' };
    const first = this.arrival(from, to, link, now);
    if (!this.rng.chance(link.duplicateProbability)) return { delays: [first - now] };
    const second = this.arrival(from, to, link, now);
    return { delays: [first - now, second - now] };
  }

  private arrival(from: Endpoint, to: Endpoint, link: LinkSpec, now: Micros): Micros {
    let at = now + link.baseLatency + sampleLatency(link.latency, this.rng);
    if (link.fifo) {
      const key = linkKey(from, to);
      const last = this.lastArrival.get(key) ?? 0;
      if (at < last) at = last;
      this.lastArrival.set(key, at);
    }
    return at;
  }

  /**
   * Splits the nodes into groups that cannot talk to each other. Nodes not
   * named form one more group together. Replaces any earlier partition; cuts
   * made since are dropped too (a partition starts from a whole network).
   */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.blocked.clear();
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => group.forEach((node) => groupOf.set(node, index)));
    const rest = groups.length;
    for (const from of this.config.nodes) {
      for (const to of this.config.nodes) {
        if ((groupOf.get(from) ?? rest) !== (groupOf.get(to) ?? rest)) this.blocked.add(linkKey(from, to));
      }
    }
  }

  /** Cuts the links from every `from` node to every `to` node, one way only. */
  cut(from: readonly NodeId[], to: readonly NodeId[]): void {
    for (const a of from) for (const b of to) if (a !== b) this.blocked.add(linkKey(a, b));
  }

  heal(): void {
    this.blocked.clear();
  }

  /** The median one-way latency from → to (base plus the distribution's median), µs. */
  medianOneWay(from: NodeId, to: NodeId): Micros {
    return medianOneWay(this.link(from, to));
  }

}

/** The link from → to as the configuration defines it (sites, then overrides in order). */
export function resolveLink(config: NetworkConfig, from: NodeId, to: NodeId): LinkSpec {
  let baseLatency = 0;
  let latency = config.latency;
  const sites = config.sites;
  if (sites) {
    const a = sites.siteOf[from];
    const b = sites.siteOf[to];
    if (a !== undefined && b !== undefined && a !== b) {
      baseLatency = Math.round((sites.rtt[a]?.[b] ?? 0) / 2);
      latency = sites.jitter;
    }
  }
  let spec: LinkSpec = {
    baseLatency,
    latency,
    dropProbability: config.dropProbability,
    duplicateProbability: config.duplicateProbability,
    fifo: config.fifo,
  };
  for (const override of config.links) {
    if (!override.from.includes(from) || !override.to.includes(to)) continue;
    spec = {
      baseLatency: override.latency ? 0 : spec.baseLatency,
      latency: override.latency ?? spec.latency,
      dropProbability: override.dropProbability ?? spec.dropProbability,
      duplicateProbability: override.duplicateProbability ?? spec.duplicateProbability,
      fifo: override.fifo ?? spec.fifo,
    };
  }
  return spec;
}

function linkKey(from: Endpoint, to: Endpoint): string {
  return `${from}>${to}`;
}

/** A link's median one-way latency, µs. */
export function medianOneWay(link: LinkSpec): Micros {
  return link.baseLatency + medianLatency(link.latency);
}

/**
 * The scenario's round trip: the median, over all ordered pairs of distinct
 * nodes, of the median one-way latency there plus the median one back. This
 * is the unit in which latencies are counted in round trips.
 */
export function medianRoundTrip(config: NetworkConfig): Micros {
  const trips: number[] = [];
  for (const a of config.nodes) for (const b of config.nodes) if (a !== b) trips.push(medianOneWay(resolveLink(config, a, b)) + medianOneWay(resolveLink(config, b, a)));
  if (trips.length === 0) return 0;
  trips.sort((x, y) => x - y);
  return trips[Math.floor((trips.length - 1) / 2)] as number;
}
