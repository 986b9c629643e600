/**
 * The run loop. It owns the event queue, the network, the node hosts and the
 * clients; it turns each event into handler calls and each effect into new
 * events, records everything as trace events, and feeds the stream to the
 * checkers, the metrics and any trace sink. Nothing here reads a real clock or
 * an unseeded random source.
 */
import type { Endpoint, TraceEvent } from '../api/events.js';
import { AssertionFailure, type Micros, type NodeId } from '../api/types.js';
import type { Invariant } from '../api/invariant.js';
import type { Message, ProtocolDefinition } from '../api/protocol.js';
import { CheckRunner, type Violation } from '../check/runner.js';
import { genericInvariants } from '../check/generic.js';
import { NodeHost, type HandlerFailure } from '../cluster/node-host.js';
import { MetricsCollector, type RunMetrics } from '../metrics/collector.js';
import { Network } from '../net/network.js';
import { EventQueue } from '../sim/queue.js';
import { createRng, type Rng } from '../sim/rng.js';
import { Digest } from '../trace/digest.js';
import type { TraceSink } from '../trace/jsonl.js';
import { RecentEvents } from '../trace/recent.js';
import { Client } from '../workload/client.js';
import { FaultInjector } from './faults.js';
import type { RunSpec } from './spec.js';

type QueueItem =
  | { readonly kind: 'deliver'; readonly id: number; readonly from: Endpoint; readonly to: Endpoint; readonly msg: Message }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly name: string; readonly generation: number; readonly due: Micros }
  | { readonly kind: 'client'; readonly client: string; readonly generation: number }
  | { readonly kind: 'fault'; readonly run: () => void };

export interface SimulationOptions {
  /** Receives every event as it happens (a JSONL writer, a pretty printer). */
  readonly sinks?: readonly TraceSink[];
  /** Stop at the first violation (default true). */
  readonly stopOnViolation?: boolean;
  /** How many recent events to keep for failure reports (default 200). */
  readonly recentEvents?: number;
  /** Extra invariants beyond the generic and the protocol's own (tests use this). */
  readonly extraInvariants?: readonly Invariant[];
  /** Leave out the invariants with these names. */
  readonly disableInvariants?: readonly string[];
}

export type EndReason = 'time' | 'done' | 'violation' | 'event-limit' | 'idle';

export interface RunResult {
  readonly spec: RunSpec;
  readonly digest: string;
  readonly events: number;
  /** Simulated time when the run ended, µs. */
  readonly endTime: Micros;
  readonly endedBy: EndReason;
  readonly violations: readonly Violation[];
  /** The events before the first violation (or the end), oldest first. */
  readonly recent: readonly TraceEvent[];
  readonly metrics: RunMetrics;
  readonly invariants: readonly string[];
  /** Each client's results in order, for `expect.results`. */
  readonly clientResults: ReadonlyMap<string, readonly { ok: boolean; value?: string | null }[]>;
  /** Every completed request's latency, ms (for aggregating over seeds). */
  readonly latencySamplesMs: readonly number[];
  /** When each request completed, µs, in order. */
  readonly completionTimes: readonly number[];
  /** Each client's completed-request latencies, µs. */
  readonly latenciesByClient: ReadonlyMap<string, readonly number[]>;
  /** Where each client lived (its home node), at the end of the run. */
  readonly clientHomes: ReadonlyMap<string, NodeId>;
}

export class Simulation<M extends Message = Message> {
  private readonly queue = new EventQueue<QueueItem>();
  private readonly root: Rng;
  readonly network: Network;
  readonly hosts = new Map<NodeId, NodeHost<M>>();
  private readonly clients = new Map<string, Client>();
  private readonly digest = new Digest();
  private readonly recent: RecentEvents<TraceEvent>;
  readonly checks: CheckRunner;
  readonly metrics: MetricsCollector;
  private readonly sinks: readonly TraceSink[];
  private readonly faults: FaultInjector;
  private now: Micros = 0;
  private nextMessageId = 0;
  private clientsDone = 0;
  private readonly clientResults = new Map<string, { ok: boolean; value?: string | null }[]>();
  private stopRequested = false;
  private readonly completionTimes: number[] = [];

  constructor(
    readonly spec: RunSpec,
    readonly protocol: ProtocolDefinition<M, object>,
    private readonly options: SimulationOptions = {},
  ) {
    this.root = createRng(spec.seed);
    this.metrics = new MetricsCollector(spec.nodes.length);
    this.recent = new RecentEvents(options.recentEvents ?? 200);
    this.sinks = options.sinks ?? [];
    this.network = new Network({ ...spec.network, nodes: spec.nodes }, this.root.fork('network'));
    const hostEnv = {
      now: () => this.now,
      transmit: (from: Endpoint, to: Endpoint, msg: Message) => this.transmit(from, to, msg),
      scheduleTimer: (at: Micros, node: NodeId, name: string, generation: number) => this.queue.push(at, { kind: 'timer', node, name, generation, due: at }),
      record: (event: TraceEvent) => this.record(event),
    };
    for (const node of spec.nodes) {
      const clock = spec.clocks[node] ?? { skew: 0, rate: 1 };
      this.hosts.set(node, new NodeHost<M>(node, spec.nodes, protocol, spec.options, spec.bug, this.root.fork(`node/${node}`), hostEnv, clock));
    }
    const workload = this.root.fork('workload');
    const clientEnv = {
      now: () => this.now,
      transmit: (from: Endpoint, to: Endpoint, msg: Message) => this.transmit(from, to, msg),
      wake: (at: Micros, client: string, generation: number) => this.queue.push(at, { kind: 'client', client, generation }),
      record: (event: TraceEvent) => this.record(event),
    };
    for (const clientSpec of spec.clients) {
      this.network.placeClient(clientSpec.id, clientSpec.home);
      this.clients.set(clientSpec.id, new Client(clientSpec, workload.fork(clientSpec.id), clientEnv));
    }
    const disabled = new Set(options.disableInvariants ?? []);
    const invariants = [...genericInvariants, ...protocol.invariants(spec.options as never), ...(options.extraInvariants ?? [])].filter((inv) => !disabled.has(inv.name));
    this.checks = new CheckRunner(invariants, { nodes: spec.nodes, options: spec.options }, (node) => {
      const host = this.hosts.get(node);
      return host?.status === 'crashed' ? undefined : host?.inspect();
    });
    this.faults = new FaultInjector(this, this.root.fork('nemesis'));
  }

  /** Current global time, µs. */
  get time(): Micros {
    return this.now;
  }

  /** Schedules a callback (faults use this). */
  schedule(at: Micros, run: () => void): void {
    this.queue.push(at, { kind: 'fault', run });
  }

  record(event: TraceEvent): void {
    this.digest.add(event);
    this.recent.push(event);
    for (const sink of this.sinks) sink.event(event);
    this.metrics.onEvent(event);
    this.faults.onEvent(event);
    this.checks.onEvent(event);
    if (event.type === 'complete') {
      this.completionTimes.push(event.t);
      let list = this.clientResults.get(event.client);
      if (list === undefined) this.clientResults.set(event.client, (list = []));
      list.push(event.result);
    }
  }

  transmit(from: Endpoint, to: Endpoint, msg: Message): void {
    const id = ++this.nextMessageId;
    this.record({ t: this.now, type: 'send', id, from, to, msg });
    const transit = this.network.transmit(from, to, this.now);
    if ('dropped' in transit) {
      this.record({ t: this.now, type: 'drop', id, from, to, reason: transit.dropped });
      return;
    }
    const delays = transit.delays;
    if (delays.length > 1) this.record({ t: this.now, type: 'duplicate', id, from, to });
    for (const delay of delays) this.queue.push(this.now + delay, { kind: 'deliver', id, from, to, msg });
  }

  run(): RunResult {
    const spec = this.spec;
    for (const host of this.hosts.values()) this.afterHandler(host.id, this.bootHost(host));
    for (const client of this.clients.values()) {
      if (client.spec.placeAtLeader) {
        this.schedule(client.spec.startAt, () => {
          const home = this.faults.currentLeader() ?? (spec.nodes[0] as NodeId);
          this.network.placeClient(client.id, home);
          client.relocate(home);
        });
      }
      client.begin();
      if (client.isDone) this.clientsDone++;
    }
    this.faults.scheduleAll(spec.faults);
    let processed = 0;
    let endedBy: EndReason;
    for (;;) {
      if (this.stopRequested) {
        endedBy = 'violation';
        break;
      }
      if (spec.stopWhenDone && this.clientsDone === this.clients.size && this.clients.size > 0 && this.faults.pending === 0) {
        endedBy = 'done';
        break;
      }
      const nextTime = this.queue.peekTime();
      if (nextTime === undefined) {
        endedBy = 'idle';
        this.now = Math.max(this.now, spec.until);
        break;
      }
      if (nextTime > spec.until) {
        endedBy = 'time';
        this.now = spec.until;
        break;
      }
      if (processed >= spec.maxEvents) {
        endedBy = 'event-limit';
        break;
      }
      const item = this.queue.pop() as QueueItem;
      this.now = nextTime;
      processed++;
      this.dispatch(item);
    }
    this.checks.onEnd(this.now);
    this.flushViolations();
    const violations = this.checks.violations;
    return {
      spec,
      digest: this.digest.hex(),
      events: this.digest.count,
      endTime: this.now,
      endedBy,
      violations,
      recent: this.recent.toArray(),
      metrics: this.metrics.summary(this.now),
      invariants: this.checks.names,
      clientResults: this.clientResults,
      latencySamplesMs: this.metrics.latencies.map((micros) => micros / 1000),
      completionTimes: this.completionTimes,
      latenciesByClient: this.metrics.latenciesByClient,
      clientHomes: new Map([...this.clients.values()].map((client) => [client.id, client.homeNode])),
    };
  }

  private dispatch(item: QueueItem): void {
    switch (item.kind) {
      case 'deliver':
        this.deliver(item);
        return;
      case 'timer': {
        const host = this.hosts.get(item.node) as NodeHost<M>;
        if (host.status === 'crashed' || !host.isLiveTimer(item.name, item.generation)) return;
        if (host.status === 'paused') {
          host.inbox.push({ kind: 'timer', name: item.name, generation: item.generation, due: item.due });
          return;
        }
        this.record({ t: this.now, type: 'timer', node: item.node, name: item.name });
        this.afterHandler(item.node, host.fireTimer(item.name));
        return;
      }
      case 'client': {
        const client = this.clients.get(item.client) as Client;
        const wasDone = client.isDone;
        client.wake(item.generation);
        if (!wasDone && client.isDone) this.clientsDone++;
        return;
      }
      case 'fault':
        item.run();
        this.flushViolations();
        return;
    }
  }

  private deliver(item: Extract<QueueItem, { kind: 'deliver' }>): void {
    if (this.network.isBlocked(item.from, item.to)) {
      this.record({ t: this.now, type: 'drop', id: item.id, from: item.from, to: item.to, reason: 'partition' });
      return;
    }
    const client = this.clients.get(item.to);
    if (client !== undefined) {
      this.record({ t: this.now, type: 'deliver', id: item.id, from: item.from, to: item.to });
      const wasDone = client.isDone;
      client.receive(item.from, item.msg);
      if (!wasDone && client.isDone) this.clientsDone++;
      return;
    }
    const host = this.hosts.get(item.to) as NodeHost<M>;
    if (host.status === 'crashed') {
      this.record({ t: this.now, type: 'drop', id: item.id, from: item.from, to: item.to, reason: 'down' });
      return;
    }
    if (host.status === 'paused') {
      host.inbox.push({ kind: 'message', id: item.id, from: item.from, msg: item.msg });
      return;
    }
    this.record({ t: this.now, type: 'deliver', id: item.id, from: item.from, to: item.to });
    this.afterHandler(item.to, host.deliver(item.from, item.msg));
  }

  /** Boots or reboots a node's replica. */
  bootHost(host: NodeHost<M>): HandlerFailure | undefined {
    host.status = 'up';
    let failure: HandlerFailure | undefined;
    try {
      host.boot();
    } catch (error) {
      failure = { node: host.id, error };
    }
    return failure;
  }

  /** Processes what a paused node missed, in arrival order, now that it runs again. */
  drainInbox(host: NodeHost<M>): void {
    const pending = host.inbox.splice(0);
    for (const input of pending) {
      if (host.status !== 'up') return;
      if (input.kind === 'message') {
        this.record({ t: this.now, type: 'deliver', id: input.id, from: input.from, to: host.id });
        this.afterHandler(host.id, host.deliver(input.from, input.msg));
      } else if (host.isLiveTimer(input.name, input.generation)) {
        this.record({ t: this.now, type: 'timer', node: host.id, name: input.name, late: this.now - input.due });
        this.afterHandler(host.id, host.fireTimer(input.name));
      }
    }
  }

  afterHandler(node: NodeId, failure: HandlerFailure | undefined): void {
    if (failure === undefined) this.checks.onStep(node, this.now);
    else this.checks.report({ invariant: failure.error instanceof AssertionFailure ? 'assertion' : 'protocol-error', message: `${node}: ${describeFailure(failure.error)}`, t: this.now, nodes: [node] });
    this.flushViolations();
  }

  private flushViolations(): void {
    const pending = this.checks.takePending();
    if (pending.length === 0) return;
    for (const violation of pending) {
      const event: TraceEvent = { t: violation.t, type: 'violation', invariant: violation.invariant, message: violation.message, nodes: violation.nodes };
      this.digest.add(event);
      this.recent.push(event);
      for (const sink of this.sinks) sink.event(event);
    }
    if (this.options.stopOnViolation ?? true) this.stopRequested = true;
  }

}

/** A handler's exception as one line; for a plain bug, with the first stack frame inside protocols/. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof AssertionFailure) return error.message;
  const frame = error.stack?.split('\n').find((line) => line.includes('protocols/'));
  return frame ? `${error.message} (${frame.trim()})` : error.message;
}
