/**
 * Linearizability of a client-observed history against the key-value model.
 *
 * The store is a map of independent registers, so the history is checked one
 * key at a time (P-compositionality: a history is linearizable iff each key's
 * sub-history is). Each key is checked by the Wing & Gong search as improved
 * by Lowe: walk the invoke/return events in time order, try to linearize a
 * pending operation whose invocation has been seen, backtrack when a return
 * arrives for an operation not yet linearized, and memoise (set of linearized
 * operations, register state) pairs already explored, as Porcupine does.
 *
 * Indeterminate operations (timed out, given up, still running at the end)
 * may take effect at any point after their invocation or never: their return
 * is at infinity and any output is accepted. One whose value nobody ever
 * observed cannot be told apart from one that never happened, so it is dropped
 * before the search (values are unique per operation in our workloads).
 *
 * A failure comes with a minimal explanation: the history of the key is cut
 * to the shortest failing prefix, then operations are removed one at a time
 * while it still fails (never a write whose value a remaining operation saw),
 * and the deepest partial order the search reached shows why nothing fits.
 */
import type { Op, Result } from '../api/types.js';

export interface HistoryOp {
  readonly id: string;
  readonly client: string;
  readonly op: Op;
  readonly key: string;
  readonly value?: string;
  readonly expected?: string | null;
  /** When the client invoked it (any unit; only order matters). */
  readonly invoke: number;
  /** When the client got the result; undefined for an indeterminate operation. */
  readonly complete?: number;
  readonly result?: Result;
}

export interface KeyFailure {
  readonly key: string;
  /** The minimal set of operations that no order fits, in invocation order. */
  readonly ops: readonly HistoryOp[];
  /** Why: the longest order the search found and the operation it could not place. */
  readonly explanation: string;
}

export interface LinearizabilityResult {
  readonly linearizable: boolean;
  readonly ops: number;
  readonly keys: number;
  readonly failures: readonly KeyFailure[];
  /** Keys whose search ran out of budget: neither proven nor refuted. */
  readonly inconclusive: readonly string[];
}

export interface CheckOptions {
  /** Search steps per key before giving up as inconclusive (default 20 million). */
  readonly stepBudget?: number;
  /** Stop after this many failing keys (default 1). */
  readonly maxFailures?: number;
}

type State = string | null;

/** The register model: the next state, or undefined when the observed output is impossible from `state`. */
function step(state: State, op: HistoryOp): State | undefined {
  const result = op.result;
  switch (op.op) {
    case 'get':
      if (result === undefined) return state;
      return (result.value ?? null) === state ? state : undefined;
    case 'put':
      return op.value ?? '';
    case 'cas': {
      const matches = state === (op.expected ?? null);
      if (result !== undefined) {
        if (result.ok !== matches) return undefined;
        if ((result.value ?? null) !== state) return undefined;
      }
      return matches ? (op.value ?? '') : state;
    }
    case 'append': {
      const after = (state ?? '') + (op.value ?? '');
      if (result !== undefined && (result.value ?? null) !== after) return undefined;
      return after;
    }
  }
}

/** Values an operation's output shows (for deciding which indeterminate writes were observed). */
function observedValues(op: HistoryOp): string[] {
  const value = op.result?.value;
  return typeof value === 'string' ? [value] : [];
}

function writtenToken(op: HistoryOp): string | undefined {
  if (op.op === 'put' || op.op === 'cas' || op.op === 'append') return op.value;
  return undefined;
}

/**
 * Whether some answer may show this write. Appends concatenate, so a put's
 * value can show up inside a longer string: any containment counts (erring
 * towards keeping the operation, which is always safe).
 */
function isObserved(token: string, observed: readonly string[]): boolean {
  return observed.some((value) => value.includes(token));
}

/** Drops indeterminate operations that cannot matter: reads, and writes nobody observed. */
function prune(ops: readonly HistoryOp[]): HistoryOp[] {
  const observed = ops.filter((op) => op.complete !== undefined).flatMap(observedValues);
  return ops.filter((op) => {
    if (op.complete !== undefined) return true;
    const token = writtenToken(op);
    if (token === undefined) return false;
    return isObserved(token, observed);
  });
}

interface Entry {
  readonly op: number;
  readonly call: boolean;
  readonly time: number;
  prev: Entry | undefined;
  next: Entry | undefined;
  match: Entry | undefined;
}

interface SearchResult {
  readonly ok: boolean;
  readonly exhausted: boolean;
  /** The deepest linearization found (operation indices) and the state after it. */
  readonly deepest: readonly number[];
  readonly deepestState: State;
  /** The operation whose return stopped the deepest attempt. */
  readonly blocker: number | undefined;
}

/** Zobrist-style keys so that the memo can be probed in O(1) per step. */
function randomWords(n: number, seed: number): Int32Array {
  const words = new Int32Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return words;
}

/** Wing & Gong / Lowe search over one key's operations (sorted by invocation). */
function search(ops: readonly HistoryOp[], budget: number): SearchResult {
  const n = ops.length;
  const events: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i] as HistoryOp;
    const call: Entry = { op: i, call: true, time: op.invoke, prev: undefined, next: undefined, match: undefined };
    const ret: Entry = { op: i, call: false, time: op.complete ?? Number.POSITIVE_INFINITY, prev: undefined, next: undefined, match: undefined };
    call.match = ret;
    events.push(call, ret);
  }
  // At equal times, calls come before returns: operations that touch in time are concurrent.
  events.sort((a, b) => a.time - b.time || (a.call === b.call ? a.op - b.op : a.call ? -1 : 1));
  const head: Entry = { op: -1, call: false, time: -Infinity, prev: undefined, next: undefined, match: undefined };
  let last = head;
  for (const entry of events) {
    last.next = entry;
    entry.prev = last;
    last = entry;
  }
  const h1 = randomWords(n, 0x9e3779b9);
  const h2 = randomWords(n, 0x7f4a7c15);
  const linearized = new Uint8Array(n);
  let hash1 = 0;
  let hash2 = 0;
  let count = 0;
  // The memo stores each explored set compactly: every operation below `low`
  // is linearized, so only the window [low, high) needs keeping.
  const memo = new Map<string, { low: number; window: Uint8Array }[]>();
  let low = 0;
  let high = 0;
  const stack: { entry: Entry; state: State }[] = [];
  let state: State = null;
  let steps = 0;
  let deepest: number[] = [];
  let deepestState: State = null;
  let blocker: number | undefined;

  const mark = (index: number, on: boolean) => {
    linearized[index] = on ? 1 : 0;
    hash1 ^= h1[index] as number;
    hash2 ^= h2[index] as number;
    if (on) {
      if (index >= high) high = index + 1;
      while (low < n && linearized[low] === 1) low++;
    } else {
      if (index < low) low = index;
      while (high > 0 && linearized[high - 1] === 0) high--;
    }
  };
  const lift = (entry: Entry) => {
    (entry.prev as Entry).next = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    const match = entry.match as Entry;
    (match.prev as Entry).next = match.next;
    if (match.next) match.next.prev = match.prev;
  };
  const unlift = (entry: Entry) => {
    const match = entry.match as Entry;
    (match.prev as Entry).next = match;
    if (match.next) match.next.prev = match;
    (entry.prev as Entry).next = entry;
    if (entry.next) entry.next.prev = entry;
  };
  const seen = (): boolean => {
    const key = `${hash1}|${hash2}|${state === null ? '\u0000' : state}`;
    const top = Math.max(high, low);
    const bucket = memo.get(key);
    if (bucket !== undefined) {
      for (const set of bucket) {
        if (set.low !== low || set.window.length !== top - low) continue;
        let same = true;
        for (let i = 0; i < set.window.length && same; i++) if (set.window[i] !== linearized[low + i]) same = false;
        if (same) return true;
      }
    }
    const snapshot = { low, window: linearized.slice(low, top) };
    if (bucket === undefined) memo.set(key, [snapshot]);
    else bucket.push(snapshot);
    return false;
  };

  let entry = head.next;
  while (head.next !== undefined) {
    if (++steps > budget) return { ok: false, exhausted: true, deepest, deepestState, blocker };
    if (entry === undefined) break;
    if (entry.call) {
      const op = ops[entry.op] as HistoryOp;
      const next = step(state, op);
      if (next !== undefined) {
        mark(entry.op, true);
        const previous = state;
        state = next;
        if (!seen()) {
          stack.push({ entry, state: previous });
          count++;
          lift(entry);
          if (count > deepest.length) {
            deepest = stack.map((s) => s.entry.op);
            deepestState = state;
            blocker = undefined;
          }
          entry = head.next;
          continue;
        }
        mark(entry.op, false);
        state = previous;
      }
      entry = entry.next;
    } else {
      // A return for an operation we could not linearize before it: back up.
      if (count === deepest.length && blocker === undefined) blocker = entry.op;
      const top = stack.pop();
      if (top === undefined) return { ok: false, exhausted: false, deepest, deepestState, blocker };
      count--;
      state = top.state;
      mark(top.entry.op, false);
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return { ok: true, exhausted: false, deepest, deepestState, blocker };
}

function byInvoke(a: HistoryOp, b: HistoryOp): number {
  return a.invoke - b.invoke || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Checks a whole history, key by key. */
export function checkLinearizable(history: readonly HistoryOp[], options: CheckOptions = {}): LinearizabilityResult {
  const budget = options.stepBudget ?? 20_000_000;
  const maxFailures = options.maxFailures ?? 1;
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    let list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, (list = []));
    list.push(op);
  }
  const failures: KeyFailure[] = [];
  const inconclusive: string[] = [];
  const keys = [...byKey.keys()].sort();
  for (const key of keys) {
    const ops = prune(byKey.get(key) as HistoryOp[]).sort(byInvoke);
    const result = search(ops, budget);
    if (result.ok) continue;
    if (result.exhausted) {
      inconclusive.push(key);
      continue;
    }
    failures.push(explain(key, ops, budget));
    if (failures.length >= maxFailures) break;
  }
  return { linearizable: failures.length === 0, ops: history.length, keys: byKey.size, failures, inconclusive };
}

/** True when the operations, alone, are not linearizable (and the search finished). */
function fails(ops: readonly HistoryOp[], budget: number): boolean {
  const result = search(ops, budget);
  return !result.ok && !result.exhausted;
}

/** Shrinks a failing key history and says why no order fits. */
function explain(key: string, ops: HistoryOp[], budget: number): KeyFailure {
  const smallBudget = Math.min(budget, 2_000_000);
  // The shortest failing prefix (by invocation): linearizability is prefix-closed,
  // so failure is monotone in the prefix length; operations that have not
  // returned by the cut become indeterminate.
  let low = 1;
  let high = ops.length;
  const prefix = (length: number) => {
    const cut = ops[length - 1]?.invoke ?? 0;
    return prune(ops.slice(0, length).map((op) => (op.complete !== undefined && op.complete > cut ? withoutResult(op) : op)));
  };
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fails(prefix(middle), smallBudget)) high = middle;
    else low = middle + 1;
  }
  let current = fails(prefix(high), smallBudget) ? prefix(high) : ops;
  // Then drop operations one at a time while it still fails, keeping every
  // write whose value a remaining operation observed.
  if (current.length <= 400) {
    for (let i = current.length - 1; i >= 0; i--) {
      const candidate = current.filter((_, index) => index !== i);
      const removed = current[i] as HistoryOp;
      const token = writtenToken(removed);
      if (token !== undefined && isObserved(token, candidate.flatMap(observedValues))) continue;
      if (fails(candidate, smallBudget)) current = candidate;
    }
  }
  const result = search(current, smallBudget);
  return { key, ops: current, explanation: describeFailure(current, result) };
}

function withoutResult(op: HistoryOp): HistoryOp {
  const { complete: _complete, result: _result, ...rest } = op;
  return rest;
}

export function describeOp(op: HistoryOp, unit = 1000, suffix = 'ms'): string {
  const time = (t: number) => `${+(t / unit).toFixed(3)}${suffix}`;
  const args = op.op === 'cas' ? ` ${JSON.stringify(op.expected ?? null)}→${JSON.stringify(op.value)}` : op.value !== undefined ? ` ${JSON.stringify(op.value)}` : '';
  const outcome = op.result === undefined ? 'no answer (may or may not have taken effect)' : `${op.result.ok ? 'ok' : 'failed'}${op.result.value !== undefined ? ` ${JSON.stringify(op.result.value)}` : ''}`;
  const span = op.complete === undefined ? `from ${time(op.invoke)}` : `${time(op.invoke)}–${time(op.complete)}`;
  return `${op.client} ${op.op} ${op.key}${args} [${span}] → ${outcome}`;
}

function describeFailure(ops: readonly HistoryOp[], result: SearchResult): string {
  const order = result.deepest.map((index) => ops[index] as HistoryOp);
  const lines: string[] = [];
  if (order.length === 0) lines.push('no operation can go first:');
  else lines.push(`the longest order that fits: ${order.map((op) => `${op.client} ${op.op}${op.value !== undefined ? ` ${JSON.stringify(op.value)}` : ''}`).join(' → ')}, leaving ${JSON.stringify(result.deepestState)} in the register;`);
  const stuck = result.blocker !== undefined ? (ops[result.blocker] as HistoryOp) : undefined;
  if (stuck !== undefined) {
    lines.push(`then ${describeOp(stuck)} must take effect before it returns, but from ${JSON.stringify(result.deepestState)} the register cannot give that result, and no other order of the operations before it does either.`);
  } else {
    lines.push('and every other order that respects real time fails earlier.');
  }
  return lines.join(' ');
}
