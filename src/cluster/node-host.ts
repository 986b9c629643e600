/**
 * The host of one replica: its lifecycle (up, crashed, paused), local clock,
 * timers, stable storage, state machine and the `Context` it hands the
 * protocol. The context records sends and timers; the host applies them after
 * the handler returns (etcd-raft's `Ready`, stateright's `Out`), so a handler
 * that fails half-way has no partial effect on the world.
 */
import type { Endpoint, ProtocolEvent, TraceEvent } from '../api/events.js';
import type { Context, Message, ProtocolDefinition, Replica } from '../api/protocol.js';
import type { Command, Micros, NodeId, Result } from '../api/types.js';
import type { Rng } from '../sim/rng.js';
import { StateMachine } from '../smr/state-machine.js';
import { LocalClock } from './clock.js';
import { DiskStorage, deepFreeze } from './storage.js';

export type NodeStatus = 'up' | 'crashed' | 'paused';

/** What the host needs from the simulation around it. */
export interface HostEnvironment {
  /** Global simulated time, µs. */
  now(): Micros;
  /** Hands a message to the network. */
  transmit(from: Endpoint, to: Endpoint, msg: Message): void;
  /** Schedules a timer event at global time `at`. */
  scheduleTimer(at: Micros, node: NodeId, name: string, generation: number): void;
  record(event: TraceEvent): void;
}

/** Input that waits while a node is paused. */
export type PendingInput =
  | { readonly kind: 'message'; readonly id: number; readonly from: Endpoint; readonly msg: Message }
  | { readonly kind: 'timer'; readonly name: string; readonly generation: number; readonly due: Micros };

/** Client-side message types carried by the same network as protocol messages. */
export interface ClientRequestMessage {
  readonly type: 'client-request';
  readonly command: Command;
}
export interface ClientReplyMessage {
  readonly type: 'client-reply';
  readonly cmd: string;
  readonly result: Result;
}
export interface ClientRedirectMessage {
  readonly type: 'client-redirect';
  readonly cmd: string;
  readonly leader?: NodeId;
}
export type ClientMessage = ClientRequestMessage | ClientReplyMessage | ClientRedirectMessage;

type Effect =
  | { readonly kind: 'send'; readonly to: Endpoint; readonly msg: Message }
  | { readonly kind: 'timer'; readonly name: string; readonly after: Micros }
  | { readonly kind: 'cancel'; readonly name: string };

/** A failure raised by a replica's handler: a broken assertion or a plain bug. */
export interface HandlerFailure {
  readonly node: NodeId;
  readonly error: unknown;
}

export class NodeHost<M extends Message = Message> {
  status: NodeStatus = 'up';
  /** Bumped at every crash: the count of boots after the first. */
  incarnation = 0;
  readonly storage: DiskStorage;
  readonly clock: LocalClock;
  stateMachine = new StateMachine();
  readonly inbox: PendingInput[] = [];
  private replica: Replica<M> | undefined;
  private readonly timers = new Map<string, { generation: number; deadline: Micros }>();
  private timerGeneration = 0;
  private effects: Effect[] = [];
  private context: Context<M> | undefined;

  constructor(
    readonly id: NodeId,
    private readonly nodes: readonly NodeId[],
    private readonly protocol: ProtocolDefinition<M, object>,
    private readonly options: object,
    private readonly bug: string | undefined,
    private readonly rng: Rng,
    private readonly env: HostEnvironment,
    clock: { skew: Micros; rate: number },
  ) {
    this.clock = new LocalClock(clock.skew, clock.rate);
    this.storage = new DiskStorage((key) => this.env.record({ t: this.env.now(), type: 'persist', node: this.id, key }));
  }

  /** Boots the replica (first start or restart): a fresh replica over the surviving storage. */
  boot(): void {
    this.status = 'up';
    this.stateMachine = new StateMachine();
    this.context = this.makeContext();
    this.replica = this.protocol.create(this.context, this.options, this.bug);
    this.handle((replica) => replica.start());
  }

  crash(): void {
    this.status = 'crashed';
    this.incarnation++;
    this.replica = undefined;
    this.context = undefined;
    this.timers.clear();
    this.inbox.length = 0;
  }

  /** Runs a handler and applies its effects; returns the failure if it threw. */
  handle(run: (replica: Replica<M>) => void): HandlerFailure | undefined {
    const replica = this.replica;
    if (replica === undefined) throw new Error(`${this.id} has no running replica`);
    this.effects = [];
    try {
      run(replica);
    } catch (error) {
      this.effects = [];
      return { node: this.id, error };
    }
    this.applyEffects();
    return undefined;
  }

  deliver(from: Endpoint, msg: Message): HandlerFailure | undefined {
    if (msg.type === 'client-request') {
      const command = (msg as unknown as ClientRequestMessage).command;
      return this.handle((replica) => replica.request(command));
    }
    return this.handle((replica) => replica.receive(from, msg as M));
  }

  /** True when the timer event is the live arming of that timer (not cancelled or re-armed since). */
  isLiveTimer(name: string, generation: number): boolean {
    return this.timers.get(name)?.generation === generation;
  }

  fireTimer(name: string): HandlerFailure | undefined {
    this.timers.delete(name);
    return this.handle((replica) => replica.timeout(name));
  }

  /** Changes the clock rate and moves every pending timer to its new global deadline. */
  setClockRate(rate: number): void {
    const now = this.env.now();
    this.clock.setRate(now, rate);
    for (const [name, timer] of this.timers) {
      const generation = ++this.timerGeneration;
      this.timers.set(name, { generation, deadline: timer.deadline });
      this.env.scheduleTimer(this.clock.globalWhen(timer.deadline, now), this.id, name, generation);
    }
  }

  inspect(): unknown {
    return this.replica?.inspect();
  }

  private applyEffects(): void {
    const effects = this.effects;
    this.effects = [];
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send':
          this.env.transmit(this.id, effect.to, effect.msg);
          break;
        case 'timer': {
          const now = this.env.now();
          const deadline = this.clock.localAt(now) + effect.after;
          const generation = ++this.timerGeneration;
          this.timers.set(effect.name, { generation, deadline });
          this.env.scheduleTimer(this.clock.globalWhen(deadline, now), this.id, effect.name, generation);
          break;
        }
        case 'cancel':
          this.timers.delete(effect.name);
          break;
      }
    }
  }

  private makeContext(): Context<M> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's methods close over their host
    const host = this;
    const env = this.env;
    const effects = () => host.effects;
    const nodes = this.nodes;
    const self = this.id;
    return {
      id: self,
      nodes,
      now: () => host.clock.localAt(env.now()),
      send(to: NodeId, msg: M) {
        if (to === self) throw new Error(`${self} sends ${msg.type} to itself; handle local steps directly`);
        effects().push({ kind: 'send', to, msg: deepFreeze(msg) });
      },
      broadcast(msg: M) {
        const frozen = deepFreeze(msg);
        for (const node of nodes) if (node !== self) effects().push({ kind: 'send', to: node, msg: frozen });
      },
      setTimer(name: string, after: Micros) {
        if (!(after >= 0) || !Number.isFinite(after)) throw new Error(`timer ${name}: bad delay ${after}`);
        effects().push({ kind: 'timer', name, after: Math.round(after) });
      },
      cancelTimer(name: string) {
        effects().push({ kind: 'cancel', name });
      },
      random: () => host.rng.next(),
      randomBetween: (min: number, max: number) => host.rng.int(Math.round(min), Math.round(max)),
      storage: this.storage,
      execute(command: Command, options?: { readonly local?: boolean }): Result {
        const local = options?.local === true;
        if (local && command.op !== 'get') throw new Error(`${self} executes ${command.id} (${command.op}) locally: only reads may skip the replicated order`);
        const { result, applied } = local ? host.stateMachine.readLocal(command) : host.stateMachine.execute(command);
        env.record(local ? { t: env.now(), type: 'execute', node: self, incarnation: host.incarnation, command, result, applied, local: true } : { t: env.now(), type: 'execute', node: self, incarnation: host.incarnation, command, result, applied });
        return result;
      },
      reply(command: Command, result: Result) {
        const msg: ClientReplyMessage = { type: 'client-reply', cmd: command.id, result };
        effects().push({ kind: 'send', to: command.client, msg });
      },
      redirect(command: Command, leader?: NodeId) {
        const msg: ClientRedirectMessage = leader === undefined ? { type: 'client-redirect', cmd: command.id } : { type: 'client-redirect', cmd: command.id, leader };
        effects().push({ kind: 'send', to: command.client, msg });
      },
      observe(event: ProtocolEvent) {
        env.record({ t: env.now(), type: 'observe', node: self, event: deepFreeze(event) });
      },
    };
  }
}
