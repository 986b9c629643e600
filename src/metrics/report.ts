/**
 * What a run cost and how fast it was, in the units people compare protocols
 * in: milliseconds, round trips, messages per request, per client and per site.
 *
 * A round trip is the scenario's median node-to-node RTT from its latency
 * model (see `medianRoundTrip`): for a LAN of constant 10ms links that is
 * 20ms; for a WAN it is the median over all node pairs.
 */
import type { NodeId } from '../api/types.js';
import { describeLatency } from '../net/latency.js';
import { medianRoundTrip } from '../net/network.js';
import type { RunResult } from '../run/simulation.js';
import { distribution } from './percentiles.js';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export interface ClientBreakdown {
  readonly client: string;
  readonly site: string;
  readonly home: NodeId;
  readonly completed: number;
  readonly latencyMs: { readonly p50: number; readonly mean: number; readonly p99: number };
  readonly latencyRtt: { readonly p50: number; readonly mean: number };
}

export interface SiteBreakdown {
  readonly site: string;
  readonly clients: number;
  readonly completed: number;
  readonly latencyMs: { readonly p50: number; readonly mean: number; readonly p99: number };
}

export interface RunReport {
  /** One round trip, ms. */
  readonly rttMs: number;
  /** How the round trip was derived, for the output. */
  readonly rttDefinition: string;
  readonly latencyMs: LatencySummary;
  readonly latencyRtt: LatencySummary;
  /** Protocol messages sent per completed request, in all and by type. */
  readonly messagesPerRequest: number;
  readonly messagesPerRequestByType: Readonly<Record<string, number>>;
  readonly throughputPerSec: number;
  readonly perClient: readonly ClientBreakdown[];
  readonly perSite: readonly SiteBreakdown[];
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function roundTripOf(result: RunResult): { micros: number; definition: string } {
  const spec = result.spec;
  const micros = medianRoundTrip({ ...spec.network, nodes: spec.nodes });
  const definition = spec.network.sites
    ? `median node-to-node round trip over all pairs of the ${new Set(Object.values(spec.network.sites.siteOf)).size} sites' RTT matrix (jitter ${describeLatency(spec.network.sites.jitter)}, within a site ${describeLatency(spec.network.latency)})`
    : `median node-to-node round trip of the latency model (${describeLatency(spec.network.latency)} each way)`;
  return { micros, definition };
}

function summary(samples: readonly number[], scale: number): LatencySummary {
  const d = distribution(samples, scale);
  return { p50: d.p50, p90: d.p90, p99: d.p99, mean: d.mean, max: d.max };
}

export function reportRun(result: RunResult): RunReport {
  const { micros: rtt, definition } = roundTripOf(result);
  const m = result.metrics;
  const completed = m.requests.completed;
  const byType: Record<string, number> = {};
  for (const [type, count] of Object.entries(m.messages.byType)) byType[type] = completed > 0 ? round(count / completed, 2) : 0;
  const siteOf = (home: NodeId) => result.spec.network.sites?.siteOf[home] ?? home;
  const perClient: ClientBreakdown[] = [];
  const sites = new Map<string, { clients: number; samples: number[] }>();
  for (const client of result.spec.clients) {
    const home = result.clientHomes.get(client.id) ?? client.home;
    const samples = result.latenciesByClient.get(client.id) ?? [];
    const ms = distribution(samples, 1000);
    const inRtt = distribution(samples, rtt > 0 ? rtt : 1);
    perClient.push({ client: client.id, site: siteOf(home), home, completed: samples.length, latencyMs: { p50: ms.p50, mean: ms.mean, p99: ms.p99 }, latencyRtt: { p50: inRtt.p50, mean: inRtt.mean } });
    const site = sites.get(siteOf(home)) ?? { clients: 0, samples: [] };
    site.clients++;
    for (const sample of samples) site.samples.push(sample);
    sites.set(siteOf(home), site);
  }
  const perSite: SiteBreakdown[] = [...sites.entries()].map(([site, data]) => {
    const ms = distribution(data.samples, 1000);
    return { site, clients: data.clients, completed: data.samples.length, latencyMs: { p50: ms.p50, mean: ms.mean, p99: ms.p99 } };
  });
  const samples = result.latencySamplesMs.map((ms) => ms * 1000);
  return {
    rttMs: rtt / 1000,
    rttDefinition: definition,
    latencyMs: summary(samples, 1000),
    latencyRtt: summary(samples, rtt > 0 ? rtt : 1),
    messagesPerRequest: completed > 0 ? round(m.messages.sent / completed, 2) : 0,
    messagesPerRequestByType: byType,
    throughputPerSec: m.throughputPerSec,
    perClient,
    perSite,
  };
}
