/** `parliament replay` and `parliament check`: working from a trace file. */
import type { TraceEvent } from '../api/events.js';
import type { Message } from '../api/protocol.js';
import { CheckRunner } from '../check/runner.js';
import { genericInvariants } from '../check/generic.js';
import { UserError } from '../errors.js';
import { simulateCollecting } from '../harness/simulate.js';
import { getProtocol } from '../registry/index.js';
import { loadScenarioObject } from '../scenario/load.js';
import { Digest } from '../trace/digest.js';
import { readTrace } from '../trace/jsonl.js';
import { formatEvent, formatEvents } from '../trace/pretty.js';
import { out, paint } from './output.js';

export function replayCommand(file: string, flags: { json?: boolean }): number {
  const trace = readTrace(file);
  const loaded = loadScenarioObject(trace.header.scenario, `${file} (header)`);
  const { events, result } = simulateCollecting(loaded.spec);
  const recorded = trace.events;
  let diverged = -1;
  const length = Math.max(recorded.length, events.length);
  for (let i = 0; i < length; i++) {
    const a = recorded[i];
    const b = events[i];
    if (a === undefined || b === undefined || JSON.stringify(a) !== JSON.stringify(b)) {
      diverged = i;
      break;
    }
  }
  const identical = diverged < 0 && (trace.footer === undefined || trace.footer.digest === result.digest);
  if (flags.json) {
    out(
      JSON.stringify({
        file,
        identical,
        events: events.length,
        digest: result.digest,
        recordedDigest: trace.footer?.digest ?? null,
        divergence: diverged < 0 ? null : { index: diverged, line: diverged + 2, expected: recorded[diverged] ?? null, actual: events[diverged] ?? null },
      }),
    );
    return identical ? 0 : 1;
  }
  if (identical) {
    out(`${paint.green('identical')}: ${events.length.toLocaleString('en-US')} events, digest ${result.digest}`);
    return 0;
  }
  if (diverged < 0) {
    out(`${paint.red('diverged')}: the events match but the digest differs (recorded ${trace.footer?.digest}, replayed ${result.digest})`);
    return 1;
  }
  const protocol = getProtocol(trace.header.protocol);
  const format = { formatMessage: protocol.formatMessage as ((m: Message) => string) | undefined, deliveries: true };
  const show = (event: TraceEvent | undefined) => (event === undefined ? '(nothing: the run ended)' : (formatEvent(event, format) ?? JSON.stringify(event)));
  out(`${paint.red('diverged')} at event ${diverged + 1} (line ${diverged + 2} of ${file}):`);
  out(`  recorded: ${show(recorded[diverged])}`);
  out(`  replayed: ${show(events[diverged])}`);
  const before = formatEvents(recorded.slice(Math.max(0, diverged - 8), diverged), format);
  if (before.length > 0) {
    out(paint.dim('  the events before it, identical in both:'));
    for (const line of before) out(paint.dim(`  ${line}`));
  }
  return 1;
}

export function checkCommand(file: string, flags: { json?: boolean }): number {
  const trace = readTrace(file);
  const protocol = getProtocol(trace.header.protocol, `${file}: header.protocol`);
  const resolved = trace.header.resolved as { nodes?: string[]; options?: Record<string, unknown> } | undefined;
  if (!resolved || !Array.isArray(resolved.nodes)) throw new UserError(`${file}:1: the header has no resolved scenario (nodes, options)`);
  const options = resolved.options ?? {};
  const invariants = [...genericInvariants, ...protocol.invariants(options as never)];
  const runner = new CheckRunner(invariants, { nodes: resolved.nodes, options }, undefined);
  const digest = new Digest();
  const recordedViolations: TraceEvent[] = [];
  for (const event of trace.events) {
    digest.add(event);
    if (event.type === 'violation') recordedViolations.push(event);
    else runner.onEvent(event);
  }
  const end = trace.events[trace.events.length - 1]?.t ?? 0;
  runner.onEnd(end);
  const digestOk = trace.footer === undefined ? undefined : trace.footer.digest === digest.hex();
  const violations = runner.violations;
  if (flags.json) {
    out(
      JSON.stringify({
        file,
        events: trace.events.length,
        invariants: runner.names,
        skipped: runner.skipped.map((inv) => inv.name),
        violations: violations.map((v) => ({ invariant: v.invariant, message: v.message, timeMs: v.t / 1000, nodes: v.nodes })),
        digest: digest.hex(),
        digestMatches: digestOk ?? null,
      }),
    );
  } else {
    out(`${paint.bold(file)}: ${trace.events.length.toLocaleString('en-US')} events, ${trace.header.protocol}, seed ${trace.header.seed}`);
    out(`  checked ${runner.names.length} invariants: ${runner.names.join(', ')}`);
    if (runner.skipped.length > 0) out(paint.dim(`  not checkable from a trace (they need live replica state; use replay): ${runner.skipped.map((inv) => inv.name).join(', ')}`));
    if (digestOk === false) out(paint.yellow(`  the digest of these events (${digest.hex()}) differs from the footer's (${trace.footer?.digest}): the file was changed or cut short`));
    else if (digestOk === true) out(`  digest ${digest.hex()} matches the footer`);
    if (violations.length === 0) out(paint.green('  ✓ no violation'));
    for (const v of violations.slice(0, 10)) out(paint.red(`  ✗ ${v.invariant} at ${v.t / 1000} ms: ${v.message}`));
  }
  return violations.length === 0 ? 0 : 1;
}
