/**
 * `parliament compare <scenario> --protocols a,b,c`: the same scenario (same
 * network, workload and fault seeds) once per protocol and seed, side by side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { comparisonSvg, type BarGroup } from '../charts/svg.js';
import { UserError } from '../errors.js';
import { simulate, type Outcome } from '../harness/simulate.js';
import { distribution } from '../metrics/percentiles.js';
import { reportRun, type RunReport } from '../metrics/report.js';
import { loadScenarioFile } from '../scenario/load.js';
import { checkOutputTarget, parseSeed } from './args.js';
import { ms, out, paint, table } from './output.js';

export interface CompareFlags {
  protocols?: string;
  seeds?: string;
  json?: boolean;
  /** A path, or false for --no-svg; by default compare-out/<scenario name>.svg. */
  svg?: string | boolean;
}

const ROUND_TRIP_TOLERANCE = 0.05;
const MAX_SEEDS = 10_000;

interface ProtocolRuns {
  readonly protocol: string;
  readonly runs: { readonly seed: number; readonly outcome: Outcome; readonly report: RunReport }[];
}

function range(values: number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

function aggregate(entry: ProtocolRuns) {
  const samples: number[] = [];
  let completed = 0;
  let sent = 0;
  let campaigns = 0;
  const perClient = new Map<string, { site: string; samples: number[] }>();
  for (const { outcome } of entry.runs) {
    const result = outcome.result;
    for (const sample of result.latencySamplesMs) samples.push(sample);
    completed += result.metrics.requests.completed;
    sent += result.metrics.messages.sent;
    campaigns += result.metrics.elections?.count ?? 0;
  }
  for (const { report, outcome } of entry.runs) {
    for (const client of report.perClient) {
      const slot = perClient.get(client.client) ?? { site: client.site, samples: [] };
      for (const sample of outcome.result.latenciesByClient.get(client.client) ?? []) slot.samples.push(sample / 1000);
      perClient.set(client.client, slot);
    }
  }
  const rttMs = entry.runs[0]?.report.rttMs ?? 0;
  const latency = distribution(samples);
  const inRtt = distribution(rttMs > 0 ? samples.map((s) => s / rttMs) : []);
  const seeds = entry.runs.length;
  const bySeed = (pick: (r: RunReport, o: Outcome) => number) => range(entry.runs.map(({ report, outcome }) => pick(report, outcome)));
  return {
    protocol: entry.protocol,
    completed,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, mean: latency.mean, max: latency.max },
    latencyRtt: { p50: inRtt.p50, mean: inRtt.mean },
    messagesPerRequest: completed > 0 ? Math.round((sent / completed) * 100) / 100 : 0,
    throughputPerSec: Math.round((entry.runs.reduce((sum, r) => sum + r.report.throughputPerSec, 0) / seeds) * 10) / 10,
    elections: Math.round((campaigns / seeds) * 10) / 10,
    perClient: [...perClient.entries()].map(([client, data]) => {
      const d = distribution(data.samples);
      return { client, site: data.site, latencyMs: { p50: d.p50, mean: d.mean } };
    }),
    perSeed: entry.runs.map(({ seed, report, outcome }) => ({
      seed,
      completed: outcome.result.metrics.requests.completed,
      latencyMs: { p50: report.latencyMs.p50, p99: report.latencyMs.p99, mean: report.latencyMs.mean },
      latencyRtt: { p50: report.latencyRtt.p50, mean: report.latencyRtt.mean },
      messagesPerRequest: report.messagesPerRequest,
      throughputPerSec: report.throughputPerSec,
      digest: outcome.result.digest,
    })),
    spread: {
      completed: bySeed((_, o) => o.result.metrics.requests.completed),
      p50: bySeed((r) => r.latencyMs.p50),
      p99: bySeed((r) => r.latencyMs.p99),
      rtt: bySeed((r) => r.latencyRtt.mean),
      messages: bySeed((r) => r.messagesPerRequest),
      throughput: bySeed((r) => r.throughputPerSec),
    },
    violations: entry.runs.flatMap(({ seed, outcome }) => outcome.result.violations.map((v) => ({ seed, invariant: v.invariant, message: v.message }))),
    unmet: entry.runs.filter(({ outcome }) => outcome.result.violations.length === 0 && !outcome.verdict.met).map(({ seed, outcome }) => ({ seed, failures: outcome.verdict.failures })),
    samples,
  };
}

export function compareCommand(file: string, flags: CompareFlags): number {
  const base = loadScenarioFile(file);
  const source = base.source as { compare?: { protocols?: string[]; options?: Record<string, Record<string, unknown>>; roundTrips?: Record<string, number> } };
  const protocols = flags.protocols !== undefined ? flags.protocols.split(',').map((p) => p.trim()).filter((p) => p !== '') : (source.compare?.protocols ?? []);
  if (protocols.length === 0) throw new UserError(`${file}: name the protocols to compare, with --protocols a,b,c or compare.protocols in the scenario`);
  const count = flags.seeds === undefined ? 1 : parseSeed(flags.seeds, '--seeds');
  if (count < 1 || count > MAX_SEEDS) throw new UserError(`--seeds: the number of seeds must be between 1 and ${MAX_SEEDS}, got ${count}`);
  const svgPath = flags.svg === false ? undefined : typeof flags.svg === 'string' ? flags.svg : join('compare-out', `${base.spec.name}.svg`);
  if (svgPath !== undefined) checkOutputTarget(svgPath, '--svg', '<svg');
  const firstSeed = base.spec.seed;
  const entries: ProtocolRuns[] = protocols.map((protocol) => {
    const runs = [];
    for (let i = 0; i < count; i++) {
      const seed = firstSeed + i;
      const options = source.compare?.options?.[protocol];
      const loaded = loadScenarioFile(file, { protocol, seed, ...(options !== undefined ? { options } : {}) });
      const outcome = simulate(loaded.spec);
      runs.push({ seed, outcome, report: reportRun(outcome.result) });
    }
    return { protocol, runs };
  });
  const results = entries.map(aggregate);
  const first = entries[0]?.runs[0];
  const rttMs = first?.report.rttMs ?? 0;
  const claims = checkRoundTrips(source.compare?.roundTrips ?? {}, results);
  const failed = results.some((r) => r.violations.length > 0 || r.unmet.length > 0) || claims.some((c) => !c.holds);
  if (svgPath !== undefined) {
    const sites = new Set(results.flatMap((r) => r.perClient.map((c) => c.site)));
    let siteChart: { groups: BarGroup[] } | undefined;
    if (base.spec.network.sites !== undefined && sites.size > 1) {
      const order = [...sites].sort();
      siteChart = {
        groups: order.map((site) => ({
          label: site,
          values: results.map((r) => {
            const clients = r.perClient.filter((c) => c.site === site);
            if (clients.length === 0) return undefined;
            return Math.round((clients.reduce((sum, c) => sum + c.latencyMs.mean, 0) / clients.length) * 100) / 100;
          }),
        })),
      };
    }
    mkdirSync(dirname(svgPath), { recursive: true });
    writeFileSync(svgPath, comparisonSvg(base.spec.name, results.map((r) => ({ name: r.protocol, samples: r.samples })), siteChart));
  }
  if (flags.json) {
    out(
      JSON.stringify({
        scenario: base.spec.name,
        file,
        seeds: { from: firstSeed, to: firstSeed + count - 1, count },
        rttMs,
        rttDefinition: first?.report.rttDefinition,
        results: results.map(({ samples: _samples, spread: _spread, ...rest }) => rest),
        roundTripClaims: claims,
        svg: svgPath ?? null,
      }),
    );
    return failed ? 1 : 0;
  }
  out(`${paint.bold(base.spec.name)}  ${paint.dim(`${count} seed${count === 1 ? '' : 's'} from ${firstSeed}, ${base.spec.nodes.length} nodes`)}`);
  if (base.spec.description) out(paint.dim(base.spec.description.trim()));
  out(paint.dim(`1 RTT = ${ms(rttMs)}: ${first?.report.rttDefinition ?? ''}`));
  out();
  const spreadText = (value: number, [low, high]: [number, number], format: (v: number) => string) => (count > 1 && low !== high ? `${format(value)} (${format(low)}–${format(high)})` : format(value));
  const rows = results.map((r) => [
    r.protocol,
    spreadText(r.completed, r.spread.completed, String),
    spreadText(r.latencyMs.p50, r.spread.p50, (v) => `${+v.toFixed(2)}`),
    spreadText(r.latencyMs.p99, r.spread.p99, (v) => `${+v.toFixed(2)}`),
    spreadText(r.latencyRtt.mean, r.spread.rtt, (v) => `${+v.toFixed(2)}`),
    spreadText(r.messagesPerRequest, r.spread.messages, (v) => `${+v.toFixed(2)}`),
    spreadText(r.throughputPerSec, r.spread.throughput, (v) => `${+v.toFixed(1)}`),
    r.elections,
    r.violations.length === 0 ? '0' : paint.red(`${r.violations.length} (${[...new Set(r.violations.map((v) => v.invariant))].join(', ')})`),
  ]);
  out(table(['protocol', 'completed', 'p50 ms', 'p99 ms', 'mean RTTs', 'msgs/req', 'req/s', 'elections', 'violations'], rows, [1, 2, 3, 4, 5, 6, 7]));
  if (count > 1) out(paint.dim('  values over all seeds; (min–max) across seeds where they differ'));
  if (results.some((r) => r.perClient.length > 1)) {
    out();
    const clients = [...new Set(results.flatMap((r) => r.perClient.map((c) => `${c.client}@${c.site}`)))];
    out(table(['client @ site', ...results.map((r) => `${r.protocol} mean ms`)], clients.slice(0, 16).map((key) => [key, ...results.map((r) => ms(r.perClient.find((c) => `${c.client}@${c.site}` === key)?.latencyMs.mean))]), results.map((_, i) => i + 1)));
  }
  for (const claim of claims) {
    const mark = claim.holds ? paint.green('✓') : paint.red('✗');
    out(`  ${mark} ${claim.protocol}: textbook ${claim.expected} round trip${claim.expected === 1 ? '' : 's'}, measured median ${claim.measured} (within ${ROUND_TRIP_TOLERANCE * 100}%: ${claim.holds ? 'yes' : 'no'})`);
  }
  for (const r of results) {
    for (const v of r.violations.slice(0, 3)) out(paint.red(`  ✗ ${r.protocol} seed ${v.seed}: ${v.invariant}: ${v.message.split('\n')[0]}`));
    for (const u of r.unmet.slice(0, 3)) out(paint.yellow(`  ✗ ${r.protocol} seed ${u.seed}: ${u.failures[0]}`));
  }
  if (svgPath !== undefined) out(`  wrote ${svgPath}`);
  return failed ? 1 : 0;
}

function checkRoundTrips(expected: Record<string, number>, results: ReturnType<typeof aggregate>[]) {
  return Object.entries(expected)
    .filter(([protocol]) => results.some((r) => r.protocol === protocol))
    .map(([protocol, rtt]) => {
      const measured = results.find((r) => r.protocol === protocol)?.latencyRtt.p50 ?? 0;
      return { protocol, expected: rtt, measured, holds: Math.abs(measured - rtt) <= rtt * ROUND_TRIP_TOLERANCE };
    });
}
