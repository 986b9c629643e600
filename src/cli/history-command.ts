/** `parliament check-history <file>`: linearizability of a client history, on its own. */
import { readFileSync } from 'node:fs';
import type { Op, Result } from '../api/types.js';
import { HistoryRecorder } from '../check/history.js';
import { checkLinearizable, describeOp, type HistoryOp } from '../check/linearizability.js';
import { UserError } from '../errors.js';
import { readTrace, TRACE_FORMAT } from '../trace/jsonl.js';
import { out, paint } from './output.js';

const OPS: readonly Op[] = ['get', 'put', 'cas', 'append'];

interface Pending {
  op: HistoryOp;
  line: number;
  closed: boolean;
}

/** Reads a history JSONL file (or a parliament trace) into operations. */
export function readHistory(path: string): HistoryOp[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${path}: cannot read the history file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  if (firstLine.includes(`"format":"${TRACE_FORMAT}"`)) {
    const recorder = new HistoryRecorder();
    for (const event of readTrace(path).events) recorder.onEvent(event);
    return recorder.history();
  }
  const pending = new Map<string, Pending>();
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (raw.trim() === '') return;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new UserError(`${path}:${lineNo}: not a JSON line`);
    }
    const where = `${path}:${lineNo}`;
    const type = entry.type;
    const t = entry.t;
    const id = entry.id;
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new UserError(`${where}: t: expected a number (the event's time), got ${JSON.stringify(t)}`);
    if (typeof id !== 'string' || id === '') throw new UserError(`${where}: id: expected the operation's id (a string)`);
    if (type === 'invoke') {
      if (pending.has(id)) throw new UserError(`${where}: id: "${id}" was invoked twice (line ${pending.get(id)?.line})`);
      const op = entry.op;
      if (typeof op !== 'string' || !OPS.includes(op as Op)) throw new UserError(`${where}: op: expected one of ${OPS.join(', ')}, got ${JSON.stringify(op)}`);
      if (typeof entry.key !== 'string') throw new UserError(`${where}: key: expected a string`);
      if (op !== 'get' && typeof entry.value !== 'string') throw new UserError(`${where}: value: a ${op} needs a string value`);
      if (op === 'cas' && entry.expected !== null && typeof entry.expected !== 'string') throw new UserError(`${where}: expected: a cas needs expected (a string, or null for absent)`);
      const history: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = { id, client: typeof entry.client === 'string' ? entry.client : id, op: op as Op, key: entry.key, invoke: t };
      if (typeof entry.value === 'string') history.value = entry.value;
      if (op === 'cas') history.expected = (entry.expected as string | null) ?? null;
      pending.set(id, { op: history, line: lineNo, closed: false });
      return;
    }
    const open = pending.get(id);
    if (open === undefined) throw new UserError(`${where}: id: "${id}" has no invoke line before it`);
    if (open.closed) throw new UserError(`${where}: id: "${id}" already has an outcome`);
    if (t < open.op.invoke) throw new UserError(`${where}: t: the outcome (${t}) is before the invocation (${open.op.invoke})`);
    open.closed = true;
    if (type === 'ok') {
      const result = entry.result as Result | undefined;
      if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') throw new UserError(`${where}: result: expected { "ok": true|false, "value"?: string|null }`);
      open.op = { ...open.op, complete: t, result };
    } else if (type === 'fail') {
      pending.delete(id);
    } else if (type !== 'info') {
      throw new UserError(`${where}: type: expected invoke, ok, fail or info, got ${JSON.stringify(type)}`);
    }
  });
  return [...pending.values()].map((p) => p.op);
}

const UNITS: Record<string, [number, string]> = { us: [1000, 'ms'], ms: [1, 'ms'], s: [1, 's'], raw: [1, ''] };

export function checkHistoryCommand(file: string, flags: { json?: boolean; unit?: string }): number {
  const unit = UNITS[flags.unit ?? 'us'];
  if (unit === undefined) throw new UserError(`--unit: expected one of ${Object.keys(UNITS).join(', ')}, got "${flags.unit}"`);
  const history = readHistory(file);
  const started = process.hrtime.bigint();
  const result = checkLinearizable(history);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const indeterminate = history.filter((op) => op.complete === undefined).length;
  if (flags.json) {
    out(JSON.stringify({ file, ...result, indeterminate, checkSeconds: +seconds.toFixed(3) }));
    return result.linearizable ? 0 : 1;
  }
  out(`${paint.bold(file)}: ${history.length} operations over ${result.keys} keys (${indeterminate} without an answer), checked in ${seconds.toFixed(2)}s`);
  if (result.inconclusive.length > 0) out(paint.yellow(`  inconclusive (search budget exhausted) for keys: ${result.inconclusive.join(', ')}`));
  if (result.linearizable) {
    out(paint.green('  ✓ linearizable'));
    return 0;
  }
  for (const failure of result.failures) {
    out(paint.red(`  ✗ not linearizable: key ${JSON.stringify(failure.key)}; no order of these ${failure.ops.length} operations fits a register:`));
    for (const op of failure.ops) out(`      ${describeOp(op, unit[0], unit[1])}`);
    out(`    ${failure.explanation}`);
  }
  return 1;
}
