/**
 * Runs invariant monitors over a stream of events: online during a simulation
 * (with live `inspect()` views) or offline over a trace file (events only).
 */
import type { TraceEvent, TraceEventType } from '../api/events.js';
import type { Invariant, InvariantMonitor, InvariantSetup, World } from '../api/invariant.js';
import type { Micros, NodeId } from '../api/types.js';

export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Simulated time, µs. */
  readonly t: Micros;
  readonly nodes: readonly NodeId[];
}

interface Entry {
  readonly invariant: Invariant;
  readonly monitor: InvariantMonitor;
  readonly world: World;
}

export class CheckRunner {
  readonly violations: Violation[] = [];
  private readonly entries: Entry[] = [];
  private readonly byType = new Map<TraceEventType, Entry[]>();
  private readonly catchAll: Entry[] = [];
  private readonly stepping: Entry[] = [];
  /** Invariants that need live state and so were not run (offline checking). */
  readonly skipped: Invariant[] = [];
  private time: Micros = 0;
  /** Set by a violation; the simulation stops after the current event when asked to. */
  pending: Violation[] = [];

  constructor(
    invariants: readonly Invariant[],
    setup: InvariantSetup,
    private readonly views: ((node: NodeId) => unknown) | undefined,
  ) {
    const online = views !== undefined;
    for (const invariant of invariants) {
      if (!online && invariant.needs === 'state') {
        this.skipped.push(invariant);
        continue;
      }
      const world = this.worldFor(invariant, online);
      const entry: Entry = { invariant, monitor: invariant.create(setup), world };
      this.entries.push(entry);
      if (entry.monitor.onEvent) {
        const types = entry.monitor.eventTypes;
        if (types === undefined) this.catchAll.push(entry);
        else
          for (const type of types) {
            const list = this.byType.get(type) ?? [];
            list.push(entry);
            this.byType.set(type, list);
          }
      }
      if (entry.monitor.onStep) this.stepping.push(entry);
    }
  }

  private worldFor(invariant: Invariant, online: boolean): World {
    const now = () => this.time;
    return {
      get now() {
        return now();
      },
      online,
      view: (node) => this.views?.(node),
      violation: (message, nodes) => this.report({ invariant: invariant.name, message, t: this.time, nodes: [...nodes] }),
    };
  }

  /** Names of the invariants being checked. */
  get names(): string[] {
    return this.entries.map((entry) => entry.invariant.name);
  }

  report(violation: Violation): void {
    this.violations.push(violation);
    this.pending.push(violation);
  }

  onEvent(event: TraceEvent): void {
    this.time = event.t;
    const typed = this.byType.get(event.type);
    if (typed !== undefined) for (const entry of typed) entry.monitor.onEvent?.(event, entry.world);
    for (const entry of this.catchAll) entry.monitor.onEvent?.(event, entry.world);
  }

  onStep(node: NodeId, now: Micros): void {
    this.time = now;
    for (const entry of this.stepping) entry.monitor.onStep?.(node, entry.world);
  }

  onEnd(now: Micros): void {
    this.time = now;
    for (const entry of this.entries) entry.monitor.onEnd?.(entry.world);
  }

  /** Violations reported since the last call. */
  takePending(): Violation[] {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }
}
