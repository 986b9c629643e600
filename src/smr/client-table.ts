/**
 * The client table (Viewstamped Replication's name for it): for each client,
 * the number of its latest executed request and that request's result. A retry
 * of the latest request gets the saved result instead of a second execution; an
 * older request is stale and is not executed at all. This is what makes client
 * retries exactly-once for every protocol.
 */
import type { ClientId, Command, Result } from '../api/types.js';

export type TableVerdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate'; readonly result: Result }
  | { readonly kind: 'stale'; readonly latestSeq: number };

export class ClientTable {
  private readonly latest = new Map<ClientId, { seq: number; result: Result }>();

  check(command: Command): TableVerdict {
    const entry = this.latest.get(command.client);
    if (entry === undefined || command.seq > entry.seq) return { kind: 'new' };
    if (command.seq === entry.seq) return { kind: 'duplicate', result: entry.result };
    return { kind: 'stale', latestSeq: entry.seq };
  }

  record(command: Command, result: Result): void {
    this.latest.set(command.client, { seq: command.seq, result });
  }
}
