/** Test helpers: build and run scenarios from plain objects. */
import type { TraceEvent } from '../../src/api/events.js';
import { simulateCollecting } from '../../src/harness/simulate.js';
import type { SimulationOptions } from '../../src/run/simulation.js';
import { loadScenarioObject } from '../../src/scenario/load.js';

export function spec(source: Record<string, unknown>) {
  return loadScenarioObject({ name: 'test', ...source }, 'test scenario').spec;
}

export function run(source: Record<string, unknown>, options: SimulationOptions = {}) {
  return simulateCollecting(spec(source), options);
}

export function ofType<T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T): Extract<TraceEvent, { type: T }>[] {
  return events.filter((event): event is Extract<TraceEvent, { type: T }> => event.type === type);
}
