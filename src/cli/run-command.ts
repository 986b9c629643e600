/** `parliament run <scenario>`: one run, or a seed range with an aggregate. */
import type { Message } from '../api/protocol.js';
import { UserError } from '../errors.js';
import { simulate, type Outcome } from '../harness/simulate.js';
import { distribution } from '../metrics/percentiles.js';
import { findProtocol } from '../registry/index.js';
import { loadScenarioFile, type LoadedScenario } from '../scenario/load.js';
import type { Overrides } from '../scenario/resolve.js';
import { JsonlTraceWriter, TRACE_FORMAT, TRACE_VERSION } from '../trace/jsonl.js';
import { formatEvent } from '../trace/pretty.js';
import { checkOutputTarget, parseOptionPairs, parseSeed, parseSeedRange } from './args.js';
import { HistoryWriter } from '../trace/history-jsonl.js';
import { ms, out, paint, table } from './output.js';
import { outcomeLabel, printRun, runJson } from './report.js';

export interface RunFlags {
  seed?: string;
  seeds?: string;
  protocol?: string;
  bug?: string;
  option?: string[];
  trace?: string;
  history?: string;
  json?: boolean;
  pretty?: boolean;
}

/** The command that reproduces a run: the file plus the flags that changed it. */
export function reproduceCommand(file: string, seed: number, flags: { protocol?: string | undefined; bug?: string | undefined; option?: string[] | undefined }): string {
  const parts = ['parliament run', file, `--seed ${seed}`];
  if (flags.protocol) parts.push(`--protocol ${flags.protocol}`);
  if (flags.bug) parts.push(`--bug ${flags.bug}`);
  for (const option of flags.option ?? []) parts.push(`--option ${option}`);
  return parts.join(' ');
}

function overridesFrom(flags: RunFlags, seed?: number): Overrides {
  const overrides: { -readonly [K in keyof Overrides]: Overrides[K] } = {};
  if (seed !== undefined) overrides.seed = seed;
  if (flags.protocol !== undefined) overrides.protocol = flags.protocol;
  if (flags.bug !== undefined) overrides.bug = flags.bug;
  if (flags.option !== undefined && flags.option.length > 0) overrides.options = parseOptionPairs(flags.option);
  return overrides;
}

export function runCommand(file: string, flags: RunFlags): number {
  if (flags.seed !== undefined && flags.seeds !== undefined) throw new UserError('give either --seed or --seeds, not both');
  if (flags.seeds !== undefined) return runSeedRange(file, flags, parseSeedRange(flags.seeds));
  const loaded = loadScenarioFile(file, overridesFrom(flags, flags.seed !== undefined ? parseSeed(flags.seed) : undefined));
  const outcome = runOnce(loaded, flags);
  const reproduce = reproduceCommand(file, loaded.spec.seed, flags);
  if (flags.json) out(JSON.stringify(runJson(outcome, file, reproduce)));
  else printRun(outcome, file, reproduce);
  return outcome.verdict.met ? 0 : 1;
}

/** Runs a loaded scenario, writing the trace / history / pretty events the flags ask for. */
export function runOnce(loaded: LoadedScenario, flags: RunFlags & { overwrite?: boolean }): Outcome {
  const spec = loaded.spec;
  const protocol = findProtocol(spec.protocol);
  const sinks = [];
  let writer: JsonlTraceWriter | undefined;
  if (flags.trace !== undefined) {
    if (!flags.overwrite) checkOutputTarget(flags.trace, '--trace', `"format":"${TRACE_FORMAT}"`);
    writer = new JsonlTraceWriter(flags.trace);
    writer.header({ type: 'header', format: TRACE_FORMAT, version: TRACE_VERSION, protocol: spec.protocol, ...(spec.bug ? { bug: spec.bug } : {}), seed: spec.seed, scenario: loaded.source, resolved: spec });
    sinks.push(writer);
  }
  let history: HistoryWriter | undefined;
  if (flags.history !== undefined) {
    checkOutputTarget(flags.history, '--history', '"type":"invoke"');
    history = new HistoryWriter(flags.history);
    sinks.push(history);
  }
  if (flags.pretty) {
    const messages = new Map<number, Message>();
    const formatMessage = protocol?.formatMessage as ((msg: Message) => string) | undefined;
    sinks.push({
      event: (event: Parameters<typeof formatEvent>[0]) => {
        const line = formatEvent(event, { formatMessage }, messages);
        if (line !== undefined) process.stderr.write(line + '\n');
      },
    });
  }
  const outcome = simulate(spec, { sinks });
  if (writer) {
    writer.footer({ type: 'footer', digest: outcome.result.digest, events: outcome.result.events, summary: runJson(outcome, loaded.path, '') });
    writer.close();
  }
  history?.close();
  return outcome;
}

function runSeedRange(file: string, flags: RunFlags, [from, to]: [number, number]): number {
  if (flags.trace !== undefined || flags.history !== undefined) throw new UserError('--trace and --history record one run; use them with --seed, not --seeds');
  const runs: { seed: number; outcome: Outcome }[] = [];
  const base = overridesFrom(flags);
  let first: LoadedScenario | undefined;
  for (let seed = from; seed <= to; seed++) {
    const loaded = first === undefined ? loadScenarioFile(file, { ...base, seed }) : { ...first, spec: { ...first.spec, seed } };
    first ??= loaded;
    runs.push({ seed, outcome: simulate(loaded.spec) });
  }
  const aggregate = aggregateRuns(runs);
  const failing = runs.filter((run) => !run.outcome.verdict.met);
  if (flags.json) {
    out(
      JSON.stringify({
        scenario: first?.spec.name,
        file,
        protocol: first?.spec.protocol,
        seeds: { from, to, count: runs.length },
        runs: runs.map(({ seed, outcome }) => ({
          seed,
          outcome: outcomeLabel(outcome),
          digest: outcome.result.digest,
          completed: outcome.result.metrics.requests.completed,
          violations: outcome.result.violations.map((v) => v.invariant),
          failures: outcome.verdict.failures,
        })),
        aggregate,
        reproduce: failing.map((run) => reproduceCommand(file, run.seed, flags)),
      }),
    );
  } else {
    printAggregate(file, first as LoadedScenario, aggregate, runs.length);
    for (const run of failing.slice(0, 10)) out(`  ${paint.red('✗')} seed ${run.seed}: ${run.outcome.verdict.failures[0] ?? 'failed'} — ${reproduceCommand(file, run.seed, flags)}`);
    if (failing.length > 10) out(`  … and ${failing.length - 10} more failing seeds`);
  }
  return failing.length === 0 ? 0 : 1;
}

export function aggregateRuns(runs: readonly { seed: number; outcome: Outcome }[]) {
  const latencies: number[] = [];
  const timeToLeader: number[] = [];
  const unavailable: number[] = [];
  const firstLeader: number[] = [];
  let completed = 0;
  let campaigns = 0;
  let splitVotes = 0;
  let withElections = 0;
  const outcomes = { ok: 0, violation: 0, unmet: 0 };
  const violated: Record<string, number> = {};
  for (const { outcome } of runs) {
    const m = outcome.result.metrics;
    outcomes[outcomeLabel(outcome)]++;
    completed += m.requests.completed;
    for (const v of new Set(outcome.result.violations.map((x) => x.invariant))) violated[v] = (violated[v] ?? 0) + 1;
    if (m.elections) {
      withElections++;
      campaigns += m.elections.count;
      splitVotes += m.elections.splitVotes;
      for (const gap of m.elections.timeToLeaderMs) timeToLeader.push(gap);
      unavailable.push(m.elections.unavailableMs);
      if (m.elections.firstLeaderMs !== undefined) firstLeader.push(m.elections.firstLeaderMs);
    }
  }
  for (const { outcome } of runs) for (const latency of outcome.result.latencySamplesMs) latencies.push(latency);
  const pick = (d: ReturnType<typeof distribution>) => ({ count: d.count, p50: d.p50, p90: d.p90, p99: d.p99, max: d.max, mean: d.mean });
  return {
    outcomes,
    violated,
    completed,
    latencyMs: pick(distribution(latencies)),
    elections:
      withElections > 0
        ? {
            campaigns,
            splitVotes,
            firstLeaderMs: pick(distribution(firstLeader)),
            timeToLeaderMs: pick(distribution(timeToLeader)),
            unavailableMs: pick(distribution(unavailable)),
          }
        : undefined,
  };
}

function printAggregate(file: string, loaded: LoadedScenario, aggregate: ReturnType<typeof aggregateRuns>, count: number): void {
  const spec = loaded.spec;
  out(`${paint.bold(spec.name)}  ${paint.dim(`${spec.protocol}${spec.bug ? ` --bug ${spec.bug}` : ''}, ${count} seeds, ${spec.nodes.length} nodes`)}  ${paint.dim(file)}`);
  out();
  const o = aggregate.outcomes;
  out(`  ${paint.bold('outcomes'.padEnd(12))} ${o.ok} ok, ${o.violation} violated safety, ${o.unmet} missed expectations`);
  const violated = Object.entries(aggregate.violated);
  if (violated.length > 0) out(`  ${paint.bold('violations'.padEnd(12))} ${violated.map(([name, n]) => `${name} in ${n} seeds`).join(', ')}`);
  out(`  ${paint.bold('completed'.padEnd(12))} ${aggregate.completed} requests in all`);
  const rows: (string | number)[][] = [];
  const row = (label: string, d: { count: number; p50: number; p90: number; p99: number; max: number; mean: number }) => rows.push([label, d.count, ms(d.p50), ms(d.p90), ms(d.p99), ms(d.max), ms(d.mean)]);
  if (aggregate.latencyMs.count > 0) row('request latency', aggregate.latencyMs);
  if (aggregate.elections) {
    row('first leader', aggregate.elections.firstLeaderMs);
    row('leader loss → new leader', aggregate.elections.timeToLeaderMs);
    row('time without leader (per run)', aggregate.elections.unavailableMs);
  }
  if (rows.length > 0) {
    out();
    out(table(['', 'samples', 'p50', 'p90', 'p99', 'max', 'mean'], rows, [1, 2, 3, 4, 5, 6]));
  }
  if (aggregate.elections) out(`  ${aggregate.elections.campaigns} campaigns, ${aggregate.elections.splitVotes} terms without a winner (split votes)`);
}
