/**
 * Counts and timings of one run, gathered from the event stream: messages by
 * type, requests and their latencies, storage writes, elections.
 */
import type { TraceEvent } from '../api/events.js';
import type { ClientId, Micros } from '../api/types.js';
import { ElectionTracker, type ElectionSummary } from './elections.js';
import { distribution, type Distribution } from './percentiles.js';

export interface MessageCounts {
  /** Protocol messages between nodes. */
  readonly sent: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly duplicated: number;
  /** Requests, replies and redirects between clients and nodes. */
  readonly clientSent: number;
  readonly byType: Readonly<Record<string, number>>;
}

export interface RunMetrics {
  readonly messages: MessageCounts;
  readonly requests: { readonly submitted: number; readonly completed: number; readonly gaveUp: number; readonly outstanding: number };
  /** Client-observed latency of completed requests, ms. */
  readonly latencyMs: Distribution;
  readonly storageWrites: number;
  readonly elections: ElectionSummary | undefined;
  /** Completed requests per simulated second. */
  readonly throughputPerSec: number;
}

const CLIENT_PREFIX = 'client-';

export class MetricsCollector {
  private sent = 0;
  private delivered = 0;
  private dropped = 0;
  private duplicated = 0;
  private clientSent = 0;
  private readonly byType = new Map<string, number>();
  private readonly clientMessageIds = new Set<number>();
  private readonly invokedAt = new Map<string, Micros>();
  readonly latencies: Micros[] = [];
  /** Latencies per client, µs. */
  readonly latenciesByClient = new Map<ClientId, Micros[]>();
  private submitted = 0;
  private completed = 0;
  private gaveUp = 0;
  private storageWrites = 0;
  private firstInvoke: Micros | undefined;
  private lastComplete: Micros = 0;
  readonly elections: ElectionTracker;

  constructor(nodes: number) {
    this.elections = new ElectionTracker(nodes);
  }

  onEvent(event: TraceEvent): void {
    switch (event.type) {
      case 'send':
        if (event.msg.type.startsWith(CLIENT_PREFIX)) {
          this.clientSent++;
          this.clientMessageIds.add(event.id);
        } else {
          this.sent++;
          this.byType.set(event.msg.type, (this.byType.get(event.msg.type) ?? 0) + 1);
        }
        return;
      case 'deliver':
        if (!this.clientMessageIds.delete(event.id)) this.delivered++;
        return;
      case 'drop':
        if (!this.clientMessageIds.delete(event.id)) this.dropped++;
        return;
      case 'duplicate':
        if (!this.clientMessageIds.has(event.id)) this.duplicated++;
        return;
      case 'persist':
        this.storageWrites++;
        return;
      case 'invoke':
        this.submitted++;
        this.invokedAt.set(event.command.id, event.t);
        if (this.firstInvoke === undefined) this.firstInvoke = event.t;
        return;
      case 'complete': {
        this.completed++;
        const start = this.invokedAt.get(event.cmd);
        this.invokedAt.delete(event.cmd);
        if (start !== undefined) {
          const latency = event.t - start;
          this.latencies.push(latency);
          let list = this.latenciesByClient.get(event.client);
          if (list === undefined) this.latenciesByClient.set(event.client, (list = []));
          list.push(latency);
        }
        this.lastComplete = event.t;
        return;
      }
      case 'give-up':
        this.gaveUp++;
        this.invokedAt.delete(event.cmd);
        return;
      case 'observe':
      case 'crash':
      case 'pause':
      case 'wipe':
      case 'partition':
        this.elections.onEvent(event);
        return;
      default:
        return;
    }
  }

  summary(end: Micros): RunMetrics {
    const byType: Record<string, number> = {};
    for (const [type, count] of [...this.byType.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) byType[type] = count;
    const span = this.lastComplete - (this.firstInvoke ?? 0);
    return {
      messages: { sent: this.sent, delivered: this.delivered, dropped: this.dropped, duplicated: this.duplicated, clientSent: this.clientSent, byType },
      requests: { submitted: this.submitted, completed: this.completed, gaveUp: this.gaveUp, outstanding: this.submitted - this.completed - this.gaveUp },
      latencyMs: distribution(this.latencies, 1000),
      storageWrites: this.storageWrites,
      elections: this.elections.hasLeaders ? this.elections.summary(end) : undefined,
      throughputPerSec: span > 0 ? Math.round((this.completed / (span / 1_000_000)) * 10) / 10 : 0,
    };
  }
}
