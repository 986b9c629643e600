/** What `parliament run` prints: a readable summary, or one JSON object. */
import type { Message } from '../api/protocol.js';
import type { Outcome } from '../harness/simulate.js';
import { reportRun } from '../metrics/report.js';
import { findProtocol } from '../registry/index.js';
import type { RunResult } from '../run/simulation.js';
import { formatEvents } from '../trace/pretty.js';
import { ms, out, paint, table } from './output.js';

const END_REASONS: Record<RunResult['endedBy'], string> = {
  time: 'reached run.until',
  done: 'every client done',
  violation: 'stopped at the first violation',
  'event-limit': 'hit run.maxEvents',
  idle: 'nothing left to happen',
};

export function outcomeLabel(outcome: Outcome): 'ok' | 'violation' | 'unmet' {
  if (outcome.verdict.met) return 'ok';
  return outcome.result.violations.length > 0 && outcome.result.spec.expect.safety === 'hold' ? 'violation' : 'unmet';
}

/** The JSON summary of one run. */
export function runJson(outcome: Outcome, file: string, reproduce: string): Record<string, unknown> {
  const { result, verdict } = outcome;
  const m = result.metrics;
  const report = reportRun(result);
  const summary: Record<string, unknown> = {
    scenario: result.spec.name,
    file,
    protocol: result.spec.protocol,
    bug: result.spec.bug ?? null,
    seed: result.spec.seed,
    outcome: outcomeLabel(outcome),
    digest: result.digest,
    simulatedMs: result.endTime / 1000,
    events: result.events,
    endedBy: result.endedBy,
    messages: m.messages,
    requests: m.requests,
    latencyMs: report.latencyMs,
    rttMs: report.rttMs,
    rttDefinition: report.rttDefinition,
    latencyRtt: report.latencyRtt,
    messagesPerRequest: report.messagesPerRequest,
    messagesPerRequestByType: report.messagesPerRequestByType,
    throughputPerSec: m.throughputPerSec,
    perClient: report.perClient,
    perSite: report.perSite,
    storageWrites: m.storageWrites,
    invariants: result.invariants,
    violations: result.violations.map((v) => ({ invariant: v.invariant, message: v.message, timeMs: v.t / 1000, nodes: v.nodes, reproduce })),
    expectations: verdict,
  };
  if (m.elections) summary.elections = m.elections;
  return summary;
}

export function printRun(outcome: Outcome, file: string, reproduce: string): void {
  const { result, verdict } = outcome;
  const m = result.metrics;
  const spec = result.spec;
  const report = reportRun(result);
  out(`${paint.bold(spec.name)}  ${paint.dim(`${spec.protocol}${spec.bug ? ` --bug ${spec.bug}` : ''}, seed ${spec.seed}, ${spec.nodes.length} nodes`)}`);
  if (spec.description) out(paint.dim(wrap(spec.description.trim(), 90)));
  out();
  const label = outcomeLabel(outcome);
  const headline =
    label === 'ok'
      ? paint.green(result.violations.length > 0 ? `✓ expected violation found (${[...new Set(result.violations.map((v) => v.invariant))].join(', ')})` : '✓ every invariant held, expectations met')
      : paint.red(label === 'violation' ? '✗ safety violated' : '✗ expectations not met');
  const rows: [string, string][] = [
    ['outcome', headline],
    ['simulated', `${ms(result.endTime / 1000)}, ${result.events.toLocaleString('en-US')} events (${END_REASONS[result.endedBy]})`],
    ['requests', `${m.requests.submitted} submitted, ${m.requests.completed} completed, ${m.requests.gaveUp} gave up, ${m.requests.outstanding} outstanding`],
    ['latency', m.latencyMs.count > 0 ? `p50 ${ms(m.latencyMs.p50)}   p90 ${ms(m.latencyMs.p90)}   p99 ${ms(m.latencyMs.p99)}   mean ${ms(m.latencyMs.mean)}   max ${ms(m.latencyMs.max)}` : '–'],
    ['in RTTs', m.latencyMs.count > 0 ? `p50 ${report.latencyRtt.p50}   p99 ${report.latencyRtt.p99}   mean ${report.latencyRtt.mean} round trips (1 RTT = ${ms(report.rttMs)}: ${report.rttDefinition})` : '–'],
    ['throughput', `${m.throughputPerSec} requests per simulated second`],
    ['messages', `${m.messages.sent} sent, ${m.messages.delivered} delivered, ${m.messages.dropped} dropped, ${m.messages.duplicated} duplicated (+ ${m.messages.clientSent} client messages); ${report.messagesPerRequest} per completed request`],
    ['by type', Object.entries(m.messages.byType).map(([type, count]) => `${type} ${count} (${report.messagesPerRequestByType[type]}/req)`).join(', ') || '–'],
    ['disk writes', String(m.storageWrites)],
  ];
  if (m.elections) {
    const e = m.elections;
    rows.push(['elections', `${e.count} campaigns, ${e.leaderTerms} leaders, highest term ${e.highestTerm}, ${e.splitVotes} without a winner`]);
    rows.push(['leaderless', `first leader after ${ms(e.firstLeaderMs)}; after each loss: ${e.timeToLeaderMs.length > 0 ? e.timeToLeaderMs.map((x) => ms(x)).join(', ') : 'no loss'}; ${ms(e.unavailableMs)} without a leader in all`]);
  }
  rows.push(['invariants', `${result.invariants.length} checked: ${result.invariants.join(', ')}`]);
  rows.push(['digest', result.digest]);
  for (const [key, value] of rows) out(`  ${paint.bold(key.padEnd(12))} ${value}`);
  if (report.perClient.length > 1 || report.perSite.length > 1) printBreakdowns(report);
  for (const failure of verdict.failures) out(`  ${paint.red('✗')} ${failure}`);
  if (result.violations.length > 0) printViolations(result, reproduce, verdict.met);
}

function printBreakdowns(report: ReturnType<typeof reportRun>): void {
  out();
  const clients = report.perClient.slice(0, 12);
  out(table(['client', 'site', 'completed', 'p50', 'mean', 'p99', 'p50 RTTs'], clients.map((c) => [c.client, c.site, c.completed, ms(c.latencyMs.p50), ms(c.latencyMs.mean), ms(c.latencyMs.p99), c.latencyRtt.p50]), [2, 3, 4, 5, 6]));
  if (report.perClient.length > clients.length) out(paint.dim(`  … and ${report.perClient.length - clients.length} more clients (--json has them all)`));
  if (report.perSite.length > 1 && report.perSite.some((s) => !/^n\d+$/.test(s.site))) {
    out(table(['site', 'clients', 'completed', 'p50', 'mean', 'p99'], report.perSite.map((s) => [s.site, s.clients, s.completed, ms(s.latencyMs.p50), ms(s.latencyMs.mean), ms(s.latencyMs.p99)]), [1, 2, 3, 4, 5]));
  }
}

function printViolations(result: RunResult, reproduce: string, expected: boolean): void {
  out();
  const first = result.violations[0]!;
  const say = expected ? paint.yellow : paint.red;
  out(say(`${expected ? 'Violation (as expected)' : 'VIOLATION'}: ${first.invariant} at ${ms(first.t / 1000)} on ${first.nodes.join(', ') || 'the cluster'}`));
  out(`  ${first.message}`);
  for (const other of result.violations.slice(1, 5)) out(`  also ${other.invariant}: ${other.message}`);
  const protocol = findProtocol(result.spec.protocol);
  const lines = formatEvents(result.recent, { formatMessage: protocol?.formatMessage as ((m: Message) => string) | undefined });
  const shown = lines.slice(-25);
  out();
  out(paint.dim(`The last ${shown.length} events before it (use --trace FILE for all of them):`));
  for (const line of shown) out(paint.dim(line));
  out();
  out(`Reproduce: ${paint.bold(reproduce)}`);
}

function wrap(text: string, width: number): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line.length + word.length + 1 > width && line) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

