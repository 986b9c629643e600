/**
 * Judges a finished run against its scenario's `expect` block, so scenario
 * files double as regression tests.
 */
import type { RunResult } from './simulation.js';

export interface ExpectationVerdict {
  readonly met: boolean;
  /** One line per unmet expectation. */
  readonly failures: readonly string[];
}

export function judge(result: RunResult): ExpectationVerdict {
  const expect = result.spec.expect;
  const failures: string[] = [];
  const violated = [...new Set(result.violations.map((v) => v.invariant))];
  if (expect.safety === 'hold' && violated.length > 0) {
    failures.push(`safety: expected every invariant to hold, but ${violated.join(', ')} was violated`);
  }
  if (expect.safety === 'violated') {
    if (expect.violation !== undefined) {
      if (!violated.includes(expect.violation)) {
        failures.push(`safety: expected ${expect.violation} to be violated, but ${violated.length > 0 ? `only ${violated.join(', ')} was` : 'every invariant held'}`);
      }
    } else if (violated.length === 0) {
      failures.push('safety: expected a violation, but every invariant held');
    }
  }
  const { completed } = result.metrics.requests;
  if (expect.completed?.atLeast !== undefined && completed < expect.completed.atLeast) {
    failures.push(`completed: expected at least ${expect.completed.atLeast} requests, got ${completed}`);
  }
  if (expect.completed?.atMost !== undefined && completed > expect.completed.atMost) {
    failures.push(`completed: expected at most ${expect.completed.atMost} requests, got ${completed}`);
  }
  const latency = result.metrics.latencyMs;
  for (const key of ['p50', 'p99', 'max'] as const) {
    const bound = expect.latency?.[key];
    if (bound === undefined) continue;
    if (latency.count === 0) failures.push(`latency.${key}: no request completed, so there is no latency to bound`);
    else if (latency[key] > bound / 1000) failures.push(`latency.${key}: expected at most ${bound / 1000}ms, measured ${latency[key]}ms`);
  }
  for (const wanted of expect.results ?? []) {
    const seen = result.clientResults.get(wanted.client)?.[wanted.nth - 1];
    const label = `results: ${wanted.client}'s operation ${wanted.nth}`;
    if (seen === undefined) {
      failures.push(`${label} never completed`);
      continue;
    }
    if (wanted.ok !== undefined && seen.ok !== wanted.ok) failures.push(`${label}: expected ok=${wanted.ok}, got ok=${seen.ok}`);
    if (wanted.value !== undefined && (seen.value ?? null) !== wanted.value) failures.push(`${label}: expected value ${JSON.stringify(wanted.value)}, got ${JSON.stringify(seen.value ?? null)}`);
  }
  for (const window of expect.completedDuring ?? []) {
    let count = 0;
    for (const t of result.completionTimes) if (t >= window.from && t < window.to) count++;
    const span = `${window.from / 1000}ms–${window.to / 1000}ms`;
    if (window.atLeast !== undefined && count < window.atLeast) failures.push(`completedDuring ${span}: expected at least ${window.atLeast} requests, got ${count}`);
    if (window.atMost !== undefined && count > window.atMost) failures.push(`completedDuring ${span}: expected at most ${window.atMost} requests, got ${count}`);
  }
  return { met: failures.length === 0, failures };
}
