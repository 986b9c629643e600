/**
 * A closed-loop client: one operation at a time; think, invoke, wait. It
 * retries on a timeout with the same command id (so the client table makes the
 * retry exactly-once), follows redirects, and chooses where to send according
 * to the protocol's client policy. Every invocation and answer is recorded: the
 * history the linearizability checker reads.
 */
import type { TraceEvent } from '../api/events.js';
import type { ClientPolicy, Message } from '../api/protocol.js';
import { commandId, type ClientId, type Command, type Micros, type NodeId, type Op, type Result } from '../api/types.js';
import type { ClientReplyMessage, ClientRedirectMessage, ClientRequestMessage } from '../cluster/node-host.js';
import { type LatencySpec, sampleLatency } from '../net/latency.js';
import type { Rng } from '../sim/rng.js';
import { KeyChooser, type KeyChoice } from './keys.js';

export interface ClientEnvironment {
  now(): Micros;
  transmit(from: ClientId, to: NodeId, msg: Message): void;
  /** Schedules a wake-up of this client at global time `at`. */
  wake(at: Micros, client: ClientId, generation: number): void;
  record(event: TraceEvent): void;
}

/** An operation written out in a scenario's script. */
export interface ScriptedOp {
  readonly at: Micros;
  readonly op: Op;
  readonly key: string;
  readonly value?: string;
  readonly expected?: string | null;
  /** Send the first attempt here instead of where the policy says. */
  readonly node?: NodeId;
}

export interface ClientSpec {
  readonly id: ClientId;
  /** The node whose site the client lives at. */
  readonly home: NodeId;
  /** Move next to whichever node leads when the client starts (a measurement setup, not a protocol feature). */
  readonly placeAtLeader?: boolean;
  readonly policy: ClientPolicy;
  readonly nodes: readonly NodeId[];
  /** Random operations to issue (0 with a script). */
  readonly operations: number;
  readonly script: readonly ScriptedOp[];
  readonly mix: Readonly<Record<Op, number>>;
  readonly keys: KeyChoice;
  readonly thinkTime: LatencySpec;
  readonly timeout: Micros;
  /** Attempts before giving up on an operation (0: never give up). */
  readonly maxAttempts: number;
  readonly startAt: Micros;
}

type Phase = 'idle' | 'waiting' | 'done';

export class Client {
  private phase: Phase = 'idle';
  private seq = 0;
  private issued = 0;
  private current: Command | undefined;
  private invokedAt: Micros = 0;
  private attempts = 0;
  private redirectsThisAttempt = 0;
  private target: NodeId;
  private home: NodeId;
  private leaderGuess: NodeId | undefined;
  private generation = 0;
  private readonly lastSeen = new Map<string, string | null>();
  private readonly keys: KeyChooser;
  private readonly opCumulative: [Op, number][];
  completed = 0;
  gaveUp = 0;

  constructor(
    readonly spec: ClientSpec,
    private readonly rng: Rng,
    private readonly env: ClientEnvironment,
  ) {
    this.target = spec.home;
    this.home = spec.home;
    this.keys = new KeyChooser(spec.keys, spec.id);
    let total = 0;
    const entries = (Object.entries(spec.mix) as [Op, number][]).filter(([, weight]) => weight > 0);
    for (const [, weight] of entries) total += weight;
    let running = 0;
    this.opCumulative = entries.map(([op, weight]) => [op, (running += weight / total)]);
  }

  get id(): ClientId {
    return this.spec.id;
  }

  get isDone(): boolean {
    return this.phase === 'done';
  }

  /** The operation in flight, if any. */
  get outstanding(): Command | undefined {
    return this.phase === 'waiting' ? this.current : undefined;
  }

  private get total(): number {
    return this.spec.script.length > 0 ? this.spec.script.length : this.spec.operations;
  }

  /** The node the client lives next to. */
  get homeNode(): NodeId {
    return this.home;
  }

  /** Moves the client next to another node (before it starts). */
  relocate(home: NodeId): void {
    this.home = home;
    this.target = home;
    this.leaderGuess = undefined;
  }

  /** Called once at time 0: plans the first operation. */
  begin(): void {
    if (this.total === 0) {
      this.phase = 'done';
      return;
    }
    this.scheduleNext(this.spec.startAt);
  }

  /** A scheduled wake-up: either it is time to invoke, or the current attempt timed out. */
  wake(generation: number): void {
    if (generation !== this.generation) return;
    if (this.phase === 'idle') this.invoke();
    else if (this.phase === 'waiting') this.onTimeout();
  }

  receive(from: NodeId, msg: Message): void {
    if (this.phase !== 'waiting' || this.current === undefined) return;
    if (msg.type === 'client-reply') {
      const reply = msg as ClientReplyMessage;
      if (reply.cmd === this.current.id) this.finish(reply.result, from);
    } else if (msg.type === 'client-redirect') {
      const redirect = msg as ClientRedirectMessage;
      if (redirect.cmd === this.current.id) this.onRedirect(from, redirect.leader);
    }
  }

  private scheduleNext(notBefore: Micros): void {
    this.phase = 'idle';
    const scripted = this.spec.script[this.issued];
    const at = scripted ? Math.max(scripted.at, notBefore) : notBefore;
    this.env.wake(at, this.id, ++this.generation);
  }

  private invoke(): void {
    const scripted = this.spec.script[this.issued];
    this.seq++;
    this.issued++;
    const command = scripted ? this.scriptedCommand(scripted) : this.randomCommand();
    this.current = command;
    this.invokedAt = this.env.now();
    this.attempts = 0;
    this.phase = 'waiting';
    this.env.record({ t: this.invokedAt, type: 'invoke', client: this.id, command });
    this.attempt(scripted?.node ?? this.firstTarget());
  }

  private attempt(target: NodeId): void {
    const command = this.current as Command;
    this.attempts++;
    this.redirectsThisAttempt = 0;
    this.target = target;
    this.sendTo(target, command);
    this.env.wake(this.env.now() + this.spec.timeout, this.id, ++this.generation);
  }

  private sendTo(target: NodeId, command: Command): void {
    const msg: ClientRequestMessage = { type: 'client-request', command };
    if (this.spec.policy === 'broadcast') {
      for (const node of this.spec.nodes) this.env.transmit(this.id, node, msg);
    } else {
      this.env.transmit(this.id, target, msg);
    }
  }

  private firstTarget(): NodeId {
    if (this.spec.policy === 'leader') return this.leaderGuess ?? this.home;
    return this.home;
  }

  private onTimeout(): void {
    if (this.spec.maxAttempts > 0 && this.attempts >= this.spec.maxAttempts) {
      this.env.record({ t: this.env.now(), type: 'give-up', client: this.id, cmd: (this.current as Command).id, attempts: this.attempts });
      this.gaveUp++;
      this.afterOperation();
      return;
    }
    this.leaderGuess = undefined;
    this.attempt(this.retryTarget());
  }

  private retryTarget(): NodeId {
    const nodes = this.spec.nodes;
    if (this.spec.policy === 'any') return this.rng.pick(nodes);
    return this.nextNode(this.target);
  }

  private nextNode(after: NodeId): NodeId {
    const nodes = this.spec.nodes;
    return nodes[(nodes.indexOf(after) + 1) % nodes.length] as NodeId;
  }

  private onRedirect(from: NodeId, leader: NodeId | undefined): void {
    // A node that knows the leader names it; one that does not just says "not me".
    // Follow at most one redirect per node per attempt, then wait for the timeout.
    if (this.redirectsThisAttempt >= this.spec.nodes.length) return;
    this.redirectsThisAttempt++;
    const next = leader !== undefined && leader !== from ? leader : this.nextNode(from);
    this.leaderGuess = leader;
    this.target = next;
    this.sendTo(next, this.current as Command);
  }

  private finish(result: Result, from: NodeId): void {
    const command = this.current as Command;
    const now = this.env.now();
    this.env.record({ t: now, type: 'complete', client: this.id, cmd: command.id, result, node: from, attempts: this.attempts });
    this.completed++;
    if (this.spec.policy === 'leader') this.leaderGuess = from;
    if (command.op === 'get' || command.op === 'cas' || command.op === 'append') {
      this.lastSeen.set(command.key, command.op === 'cas' && result.ok ? (command.value ?? null) : (result.value ?? null));
    } else if (command.op === 'put') {
      this.lastSeen.set(command.key, command.value ?? null);
    }
    this.afterOperation();
  }

  private afterOperation(): void {
    this.current = undefined;
    if (this.issued >= this.total) {
      this.phase = 'done';
      this.generation++;
      return;
    }
    const think = sampleLatency(this.spec.thinkTime, this.rng);
    this.scheduleNext(this.env.now() + think);
  }

  private scriptedCommand(scripted: ScriptedOp): Command {
    return this.makeCommand(scripted.op, scripted.key, scripted.value, scripted.expected);
  }

  private randomCommand(): Command {
    const u = this.rng.next();
    let op: Op = 'get';
    for (const [candidate, threshold] of this.opCumulative) {
      op = candidate;
      if (u < threshold) break;
    }
    const key = this.keys.next(this.rng);
    const token = `${this.id}.${this.seq}`;
    switch (op) {
      case 'get':
        return this.makeCommand('get', key);
      case 'put':
        return this.makeCommand('put', key, token);
      case 'cas':
        return this.makeCommand('cas', key, token, this.lastSeen.get(key) ?? null);
      case 'append':
        return this.makeCommand('append', key, `${token};`);
    }
  }

  private makeCommand(op: Op, key: string, value?: string, expected?: string | null): Command {
    const command: { -readonly [K in keyof Command]: Command[K] } = { id: commandId(this.id, this.seq), client: this.id, seq: this.seq, op, key };
    if (value !== undefined) command.value = value;
    if (op === 'cas') command.expected = expected ?? null;
    return Object.freeze(command);
  }
}
