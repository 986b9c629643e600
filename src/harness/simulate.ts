/**
 * Runs one resolved scenario with its protocol and judges it: the one call the
 * CLI, the comparison, the fuzzer and the tests all use.
 */
import type { TraceEvent } from '../api/events.js';
import { getProtocol } from '../registry/index.js';
import { judge, type ExpectationVerdict } from '../run/expect.js';
import { Simulation, type RunResult, type SimulationOptions } from '../run/simulation.js';
import type { RunSpec } from '../run/spec.js';
import type { TraceSink } from '../trace/jsonl.js';

export interface Outcome {
  readonly result: RunResult;
  readonly verdict: ExpectationVerdict;
}

export function simulate(spec: RunSpec, options: SimulationOptions = {}): Outcome {
  const protocol = getProtocol(spec.protocol);
  const result = new Simulation(spec, protocol, options).run();
  return { result, verdict: judge(result) };
}

/** Runs and also returns every event (tests, replay). */
export function simulateCollecting(spec: RunSpec, options: SimulationOptions = {}): Outcome & { events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  const sink: TraceSink = { event: (event) => events.push(event) };
  const outcome = simulate(spec, { ...options, sinks: [...(options.sinks ?? []), sink] });
  return { ...outcome, events };
}
