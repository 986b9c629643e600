/**
 * One replica's copy of the replicated state machine: the key-value store
 * behind its client table. Volatile, like any in-memory state: a crash loses
 * it and the protocol rebuilds it by executing its log again.
 */
import type { Command, Result } from '../api/types.js';
import { ClientTable } from './client-table.js';
import { KvStore } from './kv-store.js';

export interface Execution {
  readonly result: Result;
  /** False for a retry (saved result returned) or a stale request (nothing done). */
  readonly applied: boolean;
}

/** The result a stale request gets: it was superseded by a later request of the same client. */
export const STALE_RESULT: Result = Object.freeze({ ok: false, value: null });

export class StateMachine {
  readonly store = new KvStore();
  readonly table = new ClientTable();
  /** How many commands were applied (retries and stale requests excluded). */
  applied = 0;

  /**
   * A read outside the replicated order (a lease or ReadIndex read). It does
   * not touch the client table: that table is replicated state, and a read
   * recorded on one replica only would make the replicas' tables, and so
   * their decisions about later retries, disagree.
   */
  readLocal(command: Command): Execution {
    return { result: this.store.apply(command), applied: true };
  }

  execute(command: Command): Execution {
    const verdict = this.table.check(command);
    if (verdict.kind === 'duplicate') return { result: verdict.result, applied: false };
    if (verdict.kind === 'stale') return { result: STALE_RESULT, applied: false };
    const result = this.store.apply(command);
    this.table.record(command, result);
    this.applied++;
    return { result, applied: true };
  }
}
