/**
 * Client histories as JSONL, one operation event per line, the format
 * `parliament check-history` reads (Jepsen's invoke/ok/fail/info vocabulary):
 *
 *   {"type":"invoke","t":0,"id":"c1#1","client":"c1","op":"put","key":"x","value":"a"}
 *   {"type":"ok","t":1200,"id":"c1#1","result":{"ok":true}}
 *   {"type":"info","t":5000,"id":"c2#7"}     no answer: may or may not have taken effect
 *   {"type":"fail","t":5000,"id":"c2#8"}     definitely did not take effect
 *
 * `t` is any number that orders events (parliament writes µs).
 */
import type { TraceEvent } from '../api/events.js';
import { JsonlLineWriter } from './jsonl.js';

export class HistoryWriter {
  private readonly writer: JsonlLineWriter;

  constructor(path: string) {
    this.writer = new JsonlLineWriter(path, 'history');
  }

  event(event: TraceEvent): void {
    if (event.type === 'invoke') {
      const c = event.command;
      this.writer.line({ type: 'invoke', t: event.t, id: c.id, client: c.client, op: c.op, key: c.key, ...(c.value !== undefined ? { value: c.value } : {}), ...(c.op === 'cas' ? { expected: c.expected ?? null } : {}) });
    } else if (event.type === 'complete') {
      this.writer.line({ type: 'ok', t: event.t, id: event.cmd, result: event.result });
    } else if (event.type === 'give-up') {
      this.writer.line({ type: 'info', t: event.t, id: event.cmd });
    }
  }

  close(): void {
    this.writer.close();
  }
}
