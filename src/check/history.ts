/**
 * The client-side history of a run: what each client invoked, when, and what
 * it got back. Built from `invoke`, `complete` and `give-up` events; an
 * operation with no answer by the end of the run is indeterminate.
 */
import type { TraceEvent } from '../api/events.js';
import type { Invariant, InvariantMonitor, World } from '../api/invariant.js';
import { checkLinearizable, describeOp, type HistoryOp } from './linearizability.js';

export class HistoryRecorder {
  private readonly ops = new Map<string, HistoryOp>();

  onEvent(event: TraceEvent): void {
    if (event.type === 'invoke') {
      const c = event.command;
      const op: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = { id: c.id, client: c.client, op: c.op, key: c.key, invoke: event.t };
      if (c.value !== undefined) op.value = c.value;
      if (c.op === 'cas') op.expected = c.expected ?? null;
      this.ops.set(c.id, op);
    } else if (event.type === 'complete') {
      const op = this.ops.get(event.cmd);
      if (op !== undefined && op.complete === undefined) this.ops.set(event.cmd, { ...op, complete: event.t, result: event.result });
    }
    // A give-up leaves the operation open: it may still take effect.
  }

  history(): HistoryOp[] {
    return [...this.ops.values()];
  }
}

/** Clients saw a linearizable key-value store: some order of the operations, each taking effect between its invocation and its answer, explains every result. */
export const linearizable: Invariant = {
  name: 'linearizable',
  description: 'What clients saw is linearizable: one order of all operations, each taking effect between its invocation and its answer, explains every result (timed-out operations may or may not have taken effect).',
  needs: 'events',
  create(): InvariantMonitor {
    const recorder = new HistoryRecorder();
    return {
      eventTypes: ['invoke', 'complete'],
      onEvent(event: TraceEvent) {
        recorder.onEvent(event);
      },
      onEnd(world: World) {
        const result = checkLinearizable(recorder.history());
        const failure = result.failures[0];
        if (failure === undefined) return;
        const lines = failure.ops.map((op) => `    ${describeOp(op)}`);
        world.violation(`key ${JSON.stringify(failure.key)}: no order of these ${failure.ops.length} operations fits a register:\n${lines.join('\n')}\n  ${failure.explanation}`, []);
      },
    };
  },
};
