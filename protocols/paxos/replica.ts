/**
 * Single-decree Paxos, run once per slot of a log (Lamport, "Paxos Made
 * Simple", 2001, §2; "The Part-Time Parliament", 1998, §2–3).
 *
 * Every node plays all three roles. As a proposer it takes client commands
 * one at a time and proposes each for the first slot it has not learned,
 * with a fresh ballot: phase 1 (prepare/promise) with a phase-1 quorum, then
 * phase 2 (accept/accepted) with a phase-2 quorum. If a promise reports a
 * value accepted earlier, the proposer must propose the value of the highest
 * such ballot instead of its own (§2.2, P2c), and tries its own command again
 * in the next slot. As an acceptor it persists every promise and acceptance
 * before answering. As a learner it learns a slot's value from the proposer
 * that saw a quorum accept it, executes slots in order, and answers the
 * clients that asked it.
 *
 * Competing proposers can pre-empt each other forever (§2.4); a proposer that
 * is refused backs off for a random time before trying a higher ballot.
 */
import {
  type Ballot,
  compareBallots,
  type Command,
  type Context,
  type NodeId,
  type Replica,
  type Result,
  sameBallot,
  VoteSet,
} from '../../src/api/index.js';
import { valueKey, type Accept, type Accepted, type CatchUp, type Chosen, type ChosenBatch, type Nack, type PaxosMessage, type Prepare, type Promise, type Value } from './messages.js';
import { quorumSizes, type PaxosOptions } from './options.js';

/** An acceptor's state for one slot (what it keeps on stable storage). */
interface AcceptorSlot {
  readonly promised?: Ballot;
  readonly accepted?: { readonly ballot: Ballot; readonly value: Value };
}

/** The proposer's attempt at one slot with one ballot. */
interface Attempt {
  readonly slot: number;
  readonly ballot: Ballot;
  /** The command this attempt is for (null: fill a gap with a no-op). */
  readonly own: Value;
  phase: 1 | 2;
  readonly promises: VoteSet<NodeId>;
  /** Highest-ballot value reported by the promises so far. */
  highest: { ballot: Ballot; value: Value } | undefined;
  value: Value | undefined;
  readonly accepts: VoteSet<NodeId>;
}

const CATCH_UP_BATCH = 64;
const TIMER_RETRY = 'retry';
const TIMER_GAP = 'gap';

export class PaxosReplica implements Replica<PaxosMessage> {
  // acceptor state: on stable storage (in memory only with the no-persist bug)
  private readonly volatileAcceptor = new Map<number, AcceptorSlot>();

  // learner state
  private readonly chosen = new Map<number, Value>();
  private highestChosen = 0;
  private executedUpTo = 0;
  private gapStrikes = 0;

  // proposer state
  private readonly queue: Command[] = [];
  private readonly waiting = new Map<string, Command>();
  private readonly answered = new Map<string, Result>();
  private attempt: Attempt | undefined;
  private backingOff = false;
  private round = 0;

  private readonly q1: number;
  private readonly q2: number;

  constructor(
    private readonly ctx: Context<PaxosMessage>,
    private readonly options: PaxosOptions,
    private readonly bug: string | undefined,
  ) {
    ({ q1: this.q1, q2: this.q2 } = quorumSizes(options, ctx.nodes.length));
  }

  start(): void {
    // Recover from stable storage alone: the highest round this proposer used
    // (ballots must never repeat, §2.3) and the values this learner learned.
    this.round = this.ctx.storage.get<number>('proposer/round') ?? 0;
    this.highestChosen = this.ctx.storage.get<number>('learner/highest') ?? 0;
    for (let slot = 1; slot <= this.highestChosen; slot++) {
      const value = this.ctx.storage.get<{ value: Value }>(`chosen/${slot}`);
      if (value !== undefined) this.chosen.set(slot, value.value);
    }
    this.executeReady();
    // After a restart, ask what was chosen while this node was down.
    if (this.round > 0 || this.highestChosen > 0) this.ctx.broadcast({ type: 'catch-up', from: this.executedUpTo + 1 });
    this.armGapTimer();
  }

  request(command: Command): void {
    if (this.bug === 'local-read' && command.op === 'get') {
      // The bug: answer a read from this node's own copy, which may lag behind what was chosen.
      this.ctx.reply(command, this.ctx.execute(command, { local: true }));
      return;
    }
    const done = this.answered.get(command.id);
    if (done !== undefined) {
      this.ctx.reply(command, done);
      return;
    }
    this.waiting.set(command.id, command);
    const queued = this.queue.some((c) => c.id === command.id);
    if (!queued) this.queue.push(command);
    this.tryPropose();
  }

  receive(from: NodeId, msg: PaxosMessage): void {
    switch (msg.type) {
      case 'prepare':
        return this.onPrepare(from, msg);
      case 'accept':
        return this.onAccept(from, msg);
      case 'promise':
        return this.onPromise(from, msg);
      case 'accepted':
        return this.onAccepted(from, msg);
      case 'nack':
        return this.onNack(msg);
      case 'chosen':
        return this.learn(msg.slot, msg.value);
      case 'catch-up':
        return this.onCatchUp(from, msg);
      case 'chosen-batch':
        return this.onChosenBatch(from, msg);
    }
  }

  timeout(name: string): void {
    if (name === TIMER_RETRY) {
      // No quorum in time (lost messages, crashed acceptors), or the backoff after a refusal ended.
      this.attempt = undefined;
      this.backingOff = false;
      this.tryPropose();
    } else if (name === TIMER_GAP) {
      this.onGapTimer();
    }
  }

  inspect(): unknown {
    return {
      executedUpTo: this.executedUpTo,
      highestChosen: this.highestChosen,
      round: this.round,
      queue: this.queue.map((c) => c.id),
      attempt: this.attempt && { slot: this.attempt.slot, ballot: this.attempt.ballot, phase: this.attempt.phase },
    };
  }

  // ---------------------------------------------------------------- proposer

  private firstUnlearned(): number {
    let slot = this.executedUpTo + 1;
    while (this.chosen.has(slot)) slot++;
    return slot;
  }

  private hasGap(): boolean {
    return this.highestChosen > this.firstUnlearned();
  }

  /** Starts phase 1 for the next command (or a no-op for a gap) unless an attempt is under way. */
  private tryPropose(): void {
    if (this.attempt !== undefined || this.backingOff) return;
    const own: Value | undefined = this.queue[0] ?? (this.gapStrikes >= 2 && this.hasGap() ? null : undefined);
    if (own === undefined) return;
    const slot = this.firstUnlearned();
    // A ballot is never reused, not even after a crash: persist the round before using it.
    this.round++;
    this.ctx.storage.set('proposer/round', this.round);
    const ballot: Ballot = { round: this.round, node: this.ctx.id };
    this.attempt = { slot, ballot, own, phase: 1, promises: new VoteSet(), highest: undefined, value: undefined, accepts: new VoteSet() };
    this.ctx.setTimer(TIMER_RETRY, this.options.retryTimeout);
    const prepare: Prepare = { type: 'prepare', slot, ballot };
    this.ctx.broadcast(prepare);
    this.onPrepare(this.ctx.id, prepare);
  }

  private onPromise(from: NodeId, msg: Promise): void {
    const attempt = this.attempt;
    if (attempt === undefined || attempt.phase !== 1 || attempt.slot !== msg.slot || !sameBallot(attempt.ballot, msg.ballot)) return;
    if (!attempt.promises.add(from)) return;
    if (msg.accepted !== undefined && compareBallots(msg.accepted.ballot, attempt.highest?.ballot) > 0) {
      attempt.highest = { ballot: msg.accepted.ballot, value: msg.accepted.value };
    }
    if (attempt.promises.grants < this.q1) return;
    // P2c (§2.2): with a promise quorum in hand, propose the value of the
    // highest-numbered proposal any of them accepted; only if none did is the
    // proposer free to propose its own.
    const adopt = this.bug !== 'no-adopt' && attempt.highest !== undefined;
    const value = adopt ? (attempt.highest as { value: Value }).value : attempt.own;
    attempt.phase = 2;
    attempt.value = value;
    this.ctx.observe({ kind: 'propose', slot: attempt.slot, ballot: attempt.ballot, value: valueKey(value) });
    const accept: Accept = { type: 'accept', slot: attempt.slot, ballot: attempt.ballot, value };
    this.ctx.broadcast(accept);
    this.onAccept(this.ctx.id, accept);
  }

  private onAccepted(from: NodeId, msg: Accepted): void {
    const attempt = this.attempt;
    if (attempt === undefined || attempt.phase !== 2 || attempt.slot !== msg.slot || !sameBallot(attempt.ballot, msg.ballot)) return;
    if (!attempt.accepts.add(from)) return;
    if (attempt.accepts.grants < this.q2) return;
    // A phase-2 quorum accepted: the value is chosen. Tell the other learners.
    const value = attempt.value as Value;
    this.attempt = undefined;
    this.ctx.cancelTimer(TIMER_RETRY);
    const chosen: Chosen = { type: 'chosen', slot: msg.slot, value };
    this.ctx.broadcast(chosen);
    this.learn(msg.slot, value);
    this.tryPropose();
  }

  private onNack(msg: Nack): void {
    if (msg.promised.round > this.round) this.round = msg.promised.round;
    const attempt = this.attempt;
    if (attempt === undefined || attempt.slot !== msg.slot || !sameBallot(attempt.ballot, msg.ballot)) return;
    // Pre-empted by a higher ballot: back off for a random time so that two
    // proposers do not keep pre-empting each other (§2.4), then try again above it.
    this.attempt = undefined;
    this.backingOff = true;
    const [low, high] = this.options.backoff;
    this.ctx.setTimer(TIMER_RETRY, this.ctx.randomBetween(low, high));
  }

  // ---------------------------------------------------------------- acceptor

  private loadSlot(slot: number): AcceptorSlot {
    if (this.bug === 'no-persist') return this.volatileAcceptor.get(slot) ?? {};
    return this.ctx.storage.get<AcceptorSlot>(`acceptor/${slot}`) ?? {};
  }

  private saveSlot(slot: number, state: AcceptorSlot): void {
    // Persisted before the reply leaves (the host sends only after the handler returns).
    if (this.bug === 'no-persist') this.volatileAcceptor.set(slot, state);
    else this.ctx.storage.set(`acceptor/${slot}`, state);
  }

  private answer(to: NodeId, msg: Promise | Accepted | Nack): void {
    if (to === this.ctx.id) this.receive(to, msg);
    else this.ctx.send(to, msg);
  }

  private onPrepare(from: NodeId, msg: Prepare): void {
    const state = this.loadSlot(msg.slot);
    // P1a: promise a ballot at least as high as any promised before (a repeat of the same prepare gets the same answer).
    if (compareBallots(msg.ballot, state.promised) < 0) {
      this.answer(from, { type: 'nack', slot: msg.slot, ballot: msg.ballot, promised: state.promised as Ballot });
      return;
    }
    this.saveSlot(msg.slot, { ...state, promised: msg.ballot });
    this.ctx.observe({ kind: 'promise', slot: msg.slot, ballot: msg.ballot });
    const promise: Promise = state.accepted === undefined ? { type: 'promise', slot: msg.slot, ballot: msg.ballot } : { type: 'promise', slot: msg.slot, ballot: msg.ballot, accepted: state.accepted };
    this.answer(from, promise);
  }

  private onAccept(from: NodeId, msg: Accept): void {
    const state = this.loadSlot(msg.slot);
    // P1a: accept unless a higher ballot was promised.
    if (compareBallots(msg.ballot, state.promised) < 0) {
      this.answer(from, { type: 'nack', slot: msg.slot, ballot: msg.ballot, promised: state.promised as Ballot });
      return;
    }
    const value = this.bug === 'keep-old-value' && state.accepted !== undefined ? state.accepted.value : msg.value;
    this.saveSlot(msg.slot, { promised: msg.ballot, accepted: { ballot: msg.ballot, value } });
    this.ctx.observe({ kind: 'accept', slot: msg.slot, ballot: msg.ballot, value: valueKey(value) });
    this.answer(from, { type: 'accepted', slot: msg.slot, ballot: msg.ballot, value });
  }

  // ----------------------------------------------------------------- learner

  private learn(slot: number, value: Value): void {
    if (this.chosen.has(slot)) return;
    this.chosen.set(slot, value);
    this.ctx.storage.set(`chosen/${slot}`, { value });
    if (slot > this.highestChosen) {
      this.highestChosen = slot;
      this.ctx.storage.set('learner/highest', slot);
    }
    this.ctx.observe({ kind: 'commit', slot, value: valueKey(value) });
    if (value !== null) {
      const index = this.queue.findIndex((c) => c.id === value.id);
      if (index >= 0) this.queue.splice(index, 1);
    }
    if (this.attempt?.slot === slot) {
      // Someone else's proposal won this slot; ours moves on to the next one.
      this.attempt = undefined;
      this.ctx.cancelTimer(TIMER_RETRY);
      this.backingOff = false;
    }
    this.executeReady();
    this.armGapTimer();
    this.tryPropose();
  }

  /** Executes learned slots in order and answers the clients that asked this node. */
  private executeReady(): void {
    for (;;) {
      const slot = this.executedUpTo + 1;
      if (!this.chosen.has(slot)) break;
      const value = this.chosen.get(slot) as Value;
      this.executedUpTo = slot;
      if (value === null) continue;
      const result = this.ctx.execute(value);
      this.answered.set(value.id, result);
      if (this.waiting.delete(value.id)) this.ctx.reply(value, result);
    }
    if (!this.hasGap()) this.gapStrikes = 0;
  }

  private armGapTimer(): void {
    if (this.hasGap()) this.ctx.setTimer(TIMER_GAP, this.options.retryTimeout);
  }

  /**
   * A learned slot above an unlearned one: first ask the others what was
   * chosen; if the gap stays, propose a no-op there, which either learns the
   * value a quorum accepted (P2c) or fills the slot.
   */
  private onGapTimer(): void {
    if (!this.hasGap()) return;
    this.gapStrikes++;
    this.ctx.broadcast({ type: 'catch-up', from: this.firstUnlearned() });
    this.armGapTimer();
    this.tryPropose();
  }

  private onCatchUp(from: NodeId, msg: CatchUp): void {
    const entries: { slot: number; value: Value }[] = [];
    for (let slot = msg.from; slot <= this.highestChosen && entries.length < CATCH_UP_BATCH; slot++) {
      if (this.chosen.has(slot)) entries.push({ slot, value: this.chosen.get(slot) as Value });
    }
    if (entries.length > 0) this.ctx.send(from, { type: 'chosen-batch', entries });
  }

  private onChosenBatch(from: NodeId, msg: ChosenBatch): void {
    for (const entry of msg.entries) this.learn(entry.slot, entry.value);
    // A full batch means the sender knows more: ask it for the rest at once.
    if (msg.entries.length === CATCH_UP_BATCH) this.ctx.send(from, { type: 'catch-up', from: this.firstUnlearned() });
  }
}
