/**
 * The nemesis: fires the scenario's faults at their times, resolves targets
 * such as `leader` or `minority` when they fire, and undoes a fault after its
 * `for` duration. Random choices (which node, when inside `within`) come from
 * the nemesis stream only. It learns who leads from what nodes report about
 * themselves, as an operator watching the cluster would.
 */
import type { TraceEvent } from '../api/events.js';
import type { Message } from '../api/protocol.js';
import { maxFailures } from '../api/quorum.js';
import type { NodeId } from '../api/types.js';
import type { Rng } from '../sim/rng.js';
import type { Simulation } from './simulation.js';
import type { FaultAction, FaultSpec, Target } from './spec.js';

type NodeFilter = 'any' | 'up' | 'not-crashed' | 'crashed' | 'paused';

function describeTarget(target: Target): string {
  return target.kind === 'nodes' ? target.nodes.join(',') : target.kind;
}

function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case 'partition':
      return `partition ${action.groups.map((g) => `[${g.join(' ')}]`).join(' ')}`;
    case 'cut':
      return `cut ${describeTarget(action.from)} → ${describeTarget(action.to)}`;
    case 'heal':
      return 'heal';
    case 'drift':
      return `drift ${describeTarget(action.target)} rate ${action.rate}`;
    default:
      return `${action.kind} ${describeTarget(action.target)}`;
  }
}

export class FaultInjector<M extends Message = Message> {
  /** Firings scheduled and not yet done (undo steps included). */
  pending = 0;
  private readonly claims = new Map<NodeId, number>();

  constructor(
    private readonly sim: Simulation<M>,
    private readonly rng: Rng,
  ) {}

  onEvent(event: TraceEvent): void {
    if (event.type === 'observe') {
      const { kind, term } = event.event;
      if (kind === 'leader') this.claims.set(event.node, typeof term === 'number' ? term : 0);
      else if (kind === 'follower' || kind === 'candidate') this.claims.delete(event.node);
    } else if (event.type === 'crash' || event.type === 'wipe') {
      this.claims.delete(event.node);
    }
  }

  /** The node that claims leadership of the highest term among running nodes. */
  currentLeader(): NodeId | undefined {
    let best: NodeId | undefined;
    let bestTerm = -Infinity;
    for (const [node, term] of this.claims) {
      if (this.sim.hosts.get(node)?.status !== 'up') continue;
      if (term > bestTerm) {
        best = node;
        bestTerm = term;
      }
    }
    return best;
  }

  scheduleAll(faults: readonly FaultSpec[]): void {
    for (const fault of faults) {
      for (let i = 0; i < fault.count; i++) {
        const jitter = fault.within > 0 ? this.rng.int(0, fault.within) : 0;
        const at = fault.at + i * fault.every + jitter;
        this.pending++;
        this.sim.schedule(at, () => {
          this.pending--;
          this.fire(fault);
        });
      }
    }
  }

  private fire(fault: FaultSpec): void {
    const undo = this.apply(fault.action, fault.label);
    if (undo !== undefined && fault.duration !== undefined) {
      this.pending++;
      this.sim.schedule(this.sim.time + fault.duration, () => {
        this.pending--;
        undo();
      });
    }
  }

  private skip(label: string, action: FaultAction, why: string): undefined {
    this.sim.record({ t: this.sim.time, type: 'fault-skipped', fault: `${label}: ${describeAction(action)}`, why });
    return undefined;
  }

  /** Applies a fault now; returns how to undo it, if it did anything. */
  private apply(action: FaultAction, label: string): (() => void) | undefined {
    switch (action.kind) {
      case 'crash': {
        const nodes = this.resolve(action.target, 'not-crashed');
        if (nodes.length === 0) return this.skip(label, action, this.whyNone(action.target));
        for (const node of nodes) this.crash(node);
        return () => nodes.forEach((node) => this.restart(node));
      }
      case 'wipe': {
        const nodes = this.resolve(action.target, 'any');
        if (nodes.length === 0) return this.skip(label, action, this.whyNone(action.target));
        for (const node of nodes) this.wipe(node);
        return () => nodes.forEach((node) => this.restart(node));
      }
      case 'restart': {
        const nodes = this.resolve(action.target, 'crashed');
        if (nodes.length === 0) return this.skip(label, action, 'no crashed node to restart');
        for (const node of nodes) this.restart(node);
        return undefined;
      }
      case 'pause': {
        const nodes = this.resolve(action.target, 'up');
        if (nodes.length === 0) return this.skip(label, action, this.whyNone(action.target));
        for (const node of nodes) this.pause(node);
        return () => nodes.forEach((node) => this.resume(node));
      }
      case 'resume': {
        const nodes = this.resolve(action.target, 'paused');
        if (nodes.length === 0) return this.skip(label, action, 'no paused node to resume');
        for (const node of nodes) this.resume(node);
        return undefined;
      }
      case 'partition':
        this.partition(action.groups);
        return () => this.heal();
      case 'isolate': {
        const nodes = this.resolve(action.target, 'any');
        if (nodes.length === 0) return this.skip(label, action, this.whyNone(action.target));
        this.partition([nodes]);
        return () => this.heal();
      }
      case 'cut': {
        const from = this.resolve(action.from, 'any');
        const to = this.resolve(action.to, 'any');
        if (from.length === 0 || to.length === 0) return this.skip(label, action, this.whyNone(from.length === 0 ? action.from : action.to));
        this.sim.network.cut(from, to);
        this.sim.record({ t: this.sim.time, type: 'cut', from, to });
        return () => this.heal();
      }
      case 'heal':
        this.heal();
        return undefined;
      case 'drift': {
        const nodes = this.resolve(action.target, 'any');
        if (nodes.length === 0) return this.skip(label, action, this.whyNone(action.target));
        for (const node of nodes) this.drift(node, action.rate);
        return () => nodes.forEach((node) => this.drift(node, 1));
      }
    }
  }

  private whyNone(target: Target): string {
    return target.kind === 'leader' ? 'no node claims to lead' : `no node fits target ${describeTarget(target)}`;
  }

  private candidates(filter: NodeFilter): NodeId[] {
    return this.sim.spec.nodes.filter((node) => {
      const status = this.sim.hosts.get(node)?.status;
      switch (filter) {
        case 'any':
          return true;
        case 'up':
          return status === 'up';
        case 'not-crashed':
          return status !== 'crashed';
        case 'crashed':
          return status === 'crashed';
        case 'paused':
          return status === 'paused';
      }
    });
  }

  private resolve(target: Target, filter: NodeFilter): NodeId[] {
    const candidates = this.candidates(filter);
    const n = this.sim.spec.nodes.length;
    switch (target.kind) {
      case 'nodes':
        return target.nodes.filter((node) => candidates.includes(node));
      case 'all':
        return candidates;
      case 'leader': {
        const leader = this.currentLeader();
        return leader !== undefined && candidates.includes(leader) ? [leader] : [];
      }
      case 'followers': {
        const leader = this.currentLeader();
        return candidates.filter((node) => node !== leader);
      }
      case 'random':
        return candidates.length === 0 ? [] : [this.rng.pick(candidates)];
      case 'minority':
        return this.rng.shuffle(candidates).slice(0, maxFailures(n)).sort(byNodeOrder(this.sim.spec.nodes));
      case 'majority':
        return this.rng.shuffle(candidates).slice(0, maxFailures(n) + 1).sort(byNodeOrder(this.sim.spec.nodes));
    }
  }

  private crash(node: NodeId): void {
    const host = this.sim.hosts.get(node);
    if (!host || host.status === 'crashed') return;
    host.crash();
    this.sim.record({ t: this.sim.time, type: 'crash', node });
  }

  private wipe(node: NodeId): void {
    this.crash(node);
    this.sim.hosts.get(node)?.storage.wipe();
    this.sim.record({ t: this.sim.time, type: 'wipe', node });
  }

  private restart(node: NodeId): void {
    const host = this.sim.hosts.get(node);
    if (!host || host.status !== 'crashed') return;
    this.sim.record({ t: this.sim.time, type: 'restart', node });
    this.sim.afterHandler(node, this.sim.bootHost(host));
  }

  private pause(node: NodeId): void {
    const host = this.sim.hosts.get(node);
    if (!host || host.status !== 'up') return;
    host.status = 'paused';
    this.sim.record({ t: this.sim.time, type: 'pause', node });
  }

  private resume(node: NodeId): void {
    const host = this.sim.hosts.get(node);
    if (!host || host.status !== 'paused') return;
    host.status = 'up';
    this.sim.record({ t: this.sim.time, type: 'resume', node });
    this.sim.drainInbox(host);
  }

  private partition(groups: readonly (readonly NodeId[])[]): void {
    this.sim.network.partition(groups);
    const named = new Set(groups.flat());
    const rest = this.sim.spec.nodes.filter((node) => !named.has(node));
    const all = rest.length > 0 ? [...groups.map((g) => [...g]), rest] : groups.map((g) => [...g]);
    this.sim.record({ t: this.sim.time, type: 'partition', groups: all });
  }

  private heal(): void {
    this.sim.network.heal();
    this.sim.record({ t: this.sim.time, type: 'heal' });
  }

  private drift(node: NodeId, rate: number): void {
    this.sim.hosts.get(node)?.setClockRate(rate);
    this.sim.record({ t: this.sim.time, type: 'drift', node, rate });
  }
}

function byNodeOrder(nodes: readonly NodeId[]): (a: NodeId, b: NodeId) => number {
  return (a, b) => nodes.indexOf(a) - nodes.indexOf(b);
}
