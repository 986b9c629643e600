/**
 * Multi-Paxos with a stable leader (Lamport, "Paxos Made Simple" §3; van
 * Renesse & Altinbuken, "Paxos Made Moderately Complex" (PMMC) §2–4; Chandra,
 * Griesemer & Redstone, "Paxos Made Live" (PML) §4.2, §5.2).
 *
 * Every node plays PMMC's roles at once (§4.4, colocation): acceptor
 * (acceptor.ts), replica (the learner that executes decided slots in order),
 * and leader, whose scout (phase 1) and commanders (phase 2) are bookkeeping
 * in its role state rather than processes of their own.
 *
 * - A follower that hears nothing from a leader for a random election timeout
 *   becomes a candidate: it picks a ballot above every ballot it has seen and
 *   runs phase 1 once for every slot from the first one it has not learned
 *   (PMS §3: "phase 1 for infinitely many instances" with one message).
 * - With promises from a phase-1 quorum it is the leader. Before it serves
 *   anything new it re-proposes, in every slot a promise reported, the value
 *   with the highest ballot (P2c, PMS §2.2; PMMC's `pmax`), and fills the
 *   holes below the highest reported slot with no-ops (PMS §3). New commands
 *   get the slots after that.
 * - Each command then costs phase 2 alone: one accept to the acceptors, one
 *   round trip to a phase-2 quorum. The leader learns the decision from the
 *   quorum, executes it in slot order and answers the client.
 * - Other replicas learn decisions from the commit point the leader sends on
 *   its next accept or heartbeat: a slot the follower accepted at the leader's
 *   ballot holds the value the leader proposed, which the leader reports
 *   chosen; anything else it asks for (catch-up).
 * - A higher ballot preempts the leader (PMMC §2, preempted): it steps down
 *   and follows, unless it still holds its lease, in which case nobody else
 *   can finish phase 1 and it reclaims leadership with a higher ballot at once.
 *   Candidates that preempt one another back off for a random time (PMMC §3).
 *
 * Clients are redirected to the leader a node believes in. Reads go through
 * the log like writes unless `leaseReads` is on, in which case a leader that
 * holds its lease answers them from its own state (PML §5.2).
 */
import {
  assert,
  assertNever,
  type Ballot,
  compareBallots,
  type Command,
  type Context,
  type Micros,
  type NodeId,
  type Replica,
  type Result,
  sameBallot,
  VoteSet,
} from '../../src/api/index.js';
import { Acceptor } from './acceptor.js';
import { type Accept, type Accepted, type CatchUp, type ChosenBatch, type MultiPaxosMessage, type Nack, type Prepare, type Promise, type PValue, type Value, valueKey } from './messages.js';
import { quorumSizes } from '../paxos/options.js';
import { leaseGuard, type MultiPaxosOptions } from './options.js';

/** A commander (PMMC §2): one slot's phase 2 at the leader's ballot. */
interface Proposal {
  readonly value: Value;
  readonly accepts: VoteSet<NodeId>;
  /** When the accept was last sent (local time), for retransmission. */
  sentAt: Micros;
}

interface Follower {
  readonly kind: 'follower';
  /** The leader this node follows, when it knows one. */
  readonly leader: NodeId | undefined;
  readonly ballot: Ballot | undefined;
}

/** A scout (PMMC §2): phase 1 for every slot from `from` on. */
interface Candidate {
  readonly kind: 'candidate';
  readonly ballot: Ballot;
  readonly from: number;
  readonly promises: VoteSet<NodeId>;
  /** The highest-ballot pvalue reported for each slot so far. */
  readonly reported: Map<number, PValue>;
}

interface Leader {
  readonly kind: 'leader';
  readonly ballot: Ballot;
  readonly from: number;
  /** The highest slot phase 1 had to settle; lease reads wait until it is executed. */
  readonly recoveredUpTo: number;
  nextSlot: number;
  readonly proposals: Map<number, Proposal>;
  /** Command id → the slot it was proposed in, until executed (a retry must not take a second slot). */
  readonly proposedIds: Map<string, number>;
  /** Per acceptor, the latest `sentAt` it acknowledged at this ballot (the leader's own included). */
  readonly acks: Map<NodeId, Micros>;
  /** Entries proposed in this handler, sent together by `flush`. */
  readonly outgoing: { slot: number; value: Value }[];
}

type Role = Follower | Candidate | Leader;

/** Proposals in flight at once; more commands wait in the queue. */
const WINDOW = 64;
/** Decided slots per catch-up answer, and per retransmitted accept. */
const BATCH = 64;
/** Client commands a node holds while it cannot propose them; beyond this it redirects. */
const MAX_QUEUE = 1024;

const TIMER_ELECTION = 'election';
const TIMER_HEARTBEAT = 'heartbeat';
const TIMER_PREPARE = 'prepare';
const KEY_ROUND = 'proposer/round';

export class MultiPaxosReplica implements Replica<MultiPaxosMessage> {
  private readonly acceptor: Acceptor;
  private role: Role = { kind: 'follower', leader: undefined, ballot: undefined };

  // replica (learner) state: volatile, rebuilt by learning the log again after a restart
  private readonly log = new Map<number, Value>();
  private executedUpTo = 0;
  private readonly results = new Map<string, Result>();
  private lastCatchUp: { at: Micros; from: number } | undefined;

  // client commands this node answers or proposes
  private readonly waiting = new Map<string, Command>();
  private queue: Command[] = [];

  // proposer state: `round` is on stable storage so that no ballot is used twice
  private round = 0;
  private roundSeen = 0;

  private readonly q1: number;
  private readonly q2: number;

  constructor(
    private readonly ctx: Context<MultiPaxosMessage>,
    private readonly options: MultiPaxosOptions,
    private readonly bug: string | undefined,
  ) {
    ({ q1: this.q1, q2: this.q2 } = quorumSizes(options, ctx.nodes.length));
    this.acceptor = new Acceptor(ctx, leaseGuard(options), bug);
  }

  start(): void {
    this.acceptor.start();
    this.round = this.ctx.storage.get<number>(KEY_ROUND) ?? 0;
    this.roundSeen = Math.max(this.round, this.acceptor.promised()?.round ?? 0);
    this.armElectionTimer();
  }

  request(command: Command): void {
    const done = this.results.get(command.id);
    if (done !== undefined) {
      this.ctx.reply(command, done);
      return;
    }
    const role = this.role;
    switch (role.kind) {
      case 'leader':
        return this.leaderRequest(role, command);
      case 'candidate':
        this.hold(command);
        return;
      case 'follower':
        if (role.leader !== undefined) this.ctx.redirect(command, role.leader);
        else this.ctx.redirect(command);
        return;
      default:
        assertNever(role, 'role');
    }
  }

  receive(from: NodeId, msg: MultiPaxosMessage): void {
    // Every ballot seen raises the round this node's next candidacy must beat; then dispatch.
    if (msg.type === 'nack') this.noteRound(msg.promised);
    else if (msg.type !== 'catch-up' && msg.type !== 'chosen-batch') this.noteRound(msg.ballot);
    switch (msg.type) {
      case 'prepare':
        return this.onPrepare(from, msg);
      case 'promise':
        return this.onPromise(from, msg);
      case 'accept':
        return this.onAccept(from, msg);
      case 'accepted':
        return this.onAccepted(from, msg);
      case 'nack':
        return this.onNack(msg);
      case 'catch-up':
        return this.onCatchUp(from, msg);
      case 'chosen-batch':
        return this.onChosenBatch(from, msg);
      default:
        assertNever(msg, 'message');
    }
  }

  timeout(name: string): void {
    const role = this.role;
    if (name === TIMER_ELECTION) {
      // No leader heard from in time, or this candidacy did not win in time: (re)run phase 1.
      if (role.kind !== 'leader') this.startCandidacy();
    } else if (name === TIMER_PREPARE) {
      if (role.kind === 'candidate') this.resendPrepare(role);
    } else if (name === TIMER_HEARTBEAT) {
      if (role.kind === 'leader') this.heartbeat(role);
    }
  }

  inspect(): unknown {
    const role = this.role;
    return {
      role: role.kind,
      ballot: role.ballot,
      leader: role.kind === 'follower' ? role.leader : role.kind === 'leader' ? this.ctx.id : undefined,
      promised: this.acceptor.promised(),
      executedUpTo: this.executedUpTo,
      inFlight: role.kind === 'leader' ? role.proposals.size : 0,
      nextSlot: role.kind === 'leader' ? role.nextSlot : undefined,
      queued: this.queue.length,
      lease: role.kind === 'leader' ? this.leaseHeld(role) : false,
      guard: this.acceptor.guardView(),
    };
  }

  // ------------------------------------------------------------------ clients

  private leaderRequest(leader: Leader, command: Command): void {
    if (command.op === 'get' && this.mayReadLocally(leader)) {
      this.readLocally(leader, command);
      return;
    }
    if (leader.proposedIds.has(command.id)) {
      // A retry of a command already in a slot: answer when that slot executes.
      this.waiting.set(command.id, command);
      return;
    }
    if (!this.hold(command)) return;
    this.flush(leader);
  }

  /** Keeps a command to propose when this node can; false (and a redirect) when the queue is full. */
  private hold(command: Command): boolean {
    if (this.queue.some((queued) => queued.id === command.id)) {
      this.waiting.set(command.id, command);
      return true;
    }
    if (this.queue.length >= MAX_QUEUE) {
      this.ctx.redirect(command);
      return false;
    }
    this.waiting.set(command.id, command);
    this.queue.push(command);
    return true;
  }

  /**
   * A read may skip phase 2 only while no other node can have a value chosen:
   * the lease holds, and everything phase 1 recovered has been executed here.
   */
  private mayReadLocally(leader: Leader): boolean {
    if (this.bug === 'stale-leader-commit') return true;
    if (!this.options.leaseReads) return false;
    if (this.executedUpTo < leader.recoveredUpTo) return false;
    return this.leaseHeld(leader);
  }

  private readLocally(leader: Leader, command: Command): void {
    const result = this.ctx.execute(command, { local: true });
    this.results.set(command.id, result);
    this.ctx.observe({ kind: 'local-read', cmd: command.id, ballot: leader.ballot });
    this.ctx.reply(command, result);
  }

  /** Answers every command this node was holding with a redirect (it stopped leading, or gave up trying). */
  private redirectWaiting(leader: NodeId | undefined): void {
    for (const command of this.waiting.values()) {
      if (leader !== undefined && leader !== this.ctx.id) this.ctx.redirect(command, leader);
      else this.ctx.redirect(command);
    }
    this.waiting.clear();
    this.queue = [];
  }

  // ---------------------------------------------------------- roles and timers

  private armElectionTimer(): void {
    const [low, high] = this.options.electionTimeout;
    this.ctx.setTimer(TIMER_ELECTION, this.ctx.randomBetween(low, high));
  }

  private noteRound(ballot: Ballot): void {
    if (ballot.round > this.roundSeen) this.roundSeen = ballot.round;
  }

  /** Follows `leader` (or nobody yet) at `ballot`; a leader or candidate steps down. */
  private follow(leader: NodeId | undefined, ballot: Ballot | undefined): void {
    const role = this.role;
    const changed = role.kind !== 'follower' || role.leader !== leader;
    if (role.kind !== 'follower') {
      this.ctx.cancelTimer(TIMER_HEARTBEAT);
      this.ctx.cancelTimer(TIMER_PREPARE);
      this.redirectWaiting(leader);
    }
    this.role = { kind: 'follower', leader, ballot };
    if (changed) this.ctx.observe(leader === undefined ? { kind: 'follower', term: ballot?.round ?? this.roundSeen } : { kind: 'follower', term: ballot?.round ?? this.roundSeen, leader });
  }

  /** Phase 1 with a ballot above every ballot seen (PMS §2.3: a proposer never reuses a number). */
  private startCandidacy(): void {
    this.round = Math.max(this.round, this.roundSeen) + 1;
    this.roundSeen = this.round;
    this.ctx.storage.set(KEY_ROUND, this.round);
    const ballot: Ballot = { round: this.round, node: this.ctx.id };
    const candidate: Candidate = { kind: 'candidate', ballot, from: this.executedUpTo + 1, promises: new VoteSet(), reported: new Map() };
    this.ctx.cancelTimer(TIMER_HEARTBEAT);
    this.role = candidate;
    this.ctx.observe({ kind: 'candidate', term: ballot.round, ballot });
    const prepare: Prepare = { type: 'prepare', ballot, from: candidate.from };
    this.ctx.broadcast(prepare);
    this.ctx.setTimer(TIMER_PREPARE, this.options.retryTimeout);
    // If this candidacy has not won when the (random) election timeout ends, try again higher: the randomized backoff.
    this.armElectionTimer();
    this.onPrepare(this.ctx.id, prepare);
  }

  private resendPrepare(candidate: Candidate): void {
    const prepare: Prepare = { type: 'prepare', ballot: candidate.ballot, from: candidate.from };
    for (const node of this.ctx.nodes) if (node !== this.ctx.id && !candidate.promises.has(node)) this.ctx.send(node, prepare);
    this.ctx.setTimer(TIMER_PREPARE, this.options.retryTimeout);
  }

  // ------------------------------------------------------------------ phase 1

  private onPrepare(from: NodeId, msg: Prepare): void {
    const newPromise = compareBallots(msg.ballot, this.acceptor.promised()) > 0;
    const verdict = this.acceptor.onPrepare(from, msg.ballot, msg.from);
    switch (verdict.kind) {
      case 'guarded':
        return;
      case 'nack':
        this.answer(from, { type: 'nack', ballot: msg.ballot, promised: verdict.promised });
        return;
      case 'promise':
        break;
      default:
        assertNever(verdict, 'verdict');
    }
    if (from !== this.ctx.id) {
      const role = this.role;
      // Having promised a higher ballot, this node can no longer lead at its own: it steps down.
      if (role.kind !== 'follower' && compareBallots(msg.ballot, role.ballot) > 0) this.follow(undefined, msg.ballot);
      // Give the candidate time to finish before competing with it (once per ballot, not per retransmission).
      if (newPromise && this.role.kind === 'follower') this.armElectionTimer();
    }
    this.answer(from, { type: 'promise', ballot: msg.ballot, accepted: verdict.accepted });
  }

  private onPromise(from: NodeId, msg: Promise): void {
    const role = this.role;
    if (role.kind !== 'candidate' || !sameBallot(role.ballot, msg.ballot)) return;
    if (!role.promises.add(from)) return;
    for (const pvalue of msg.accepted) {
      assert(pvalue.slot >= role.from, `${from} reported slot ${pvalue.slot}, below the ${role.from} asked for`);
      assert(compareBallots(pvalue.ballot, msg.ballot) <= 0, `${from} reported a pvalue at ${pvalue.ballot.round}.${pvalue.ballot.node}, above the ballot it promised`);
      const best = role.reported.get(pvalue.slot);
      if (best === undefined || compareBallots(pvalue.ballot, best.ballot) > 0) role.reported.set(pvalue.slot, pvalue);
    }
    if (role.promises.grants >= this.q1) this.becomeLeader(role);
  }

  /**
   * Phase 1 is done (PMMC: "adopted"). Recover every slot the promises
   * reported before serving anything new: the value with the highest ballot
   * where one was reported (P2c), a no-op in every hole below the highest
   * reported slot (PMS §3), then new commands in the slots after.
   */
  private becomeLeader(candidate: Candidate): void {
    let highest = this.executedUpTo;
    for (const slot of candidate.reported.keys()) highest = Math.max(highest, slot);
    for (const slot of this.log.keys()) highest = Math.max(highest, slot);
    const skip = this.bug === 'skip-recovery';
    const leader: Leader = {
      kind: 'leader',
      ballot: candidate.ballot,
      from: candidate.from,
      recoveredUpTo: skip ? candidate.from - 1 : highest,
      nextSlot: skip ? this.firstUnlearned() : highest + 1,
      proposals: new Map(),
      proposedIds: new Map(),
      acks: new Map(),
      outgoing: [],
    };
    this.role = leader;
    this.ctx.cancelTimer(TIMER_ELECTION);
    this.ctx.cancelTimer(TIMER_PREPARE);
    this.ctx.observe({ kind: 'leader', term: leader.ballot.round, ballot: leader.ballot, quorum: candidate.promises.voters(), from: candidate.from });
    if (!skip) {
      for (let slot = candidate.from; slot <= highest; slot++) {
        if (this.log.has(slot)) continue;
        this.propose(leader, slot, this.recoveryValue(candidate, slot));
      }
    }
    const announced = leader.outgoing.length > 0 || this.queue.length > 0;
    this.flush(leader);
    if (this.role !== leader) return;
    // Announce leadership at once (an empty accept is a heartbeat when there is nothing to propose).
    if (announced) this.ctx.setTimer(TIMER_HEARTBEAT, this.options.heartbeatInterval);
    else this.heartbeat(leader);
  }

  private recoveryValue(candidate: Candidate, slot: number): Value {
    const reported = candidate.reported.get(slot);
    if (this.bug === 'no-adopt' && reported !== undefined) {
      // The bug: a reported value is treated as a hole; the leader's own next command (or a no-op) goes there.
      return this.takeQueued() ?? null;
    }
    return reported === undefined ? null : reported.value;
  }

  private takeQueued(): Command | undefined {
    for (;;) {
      const command = this.queue.shift();
      if (command === undefined || !this.results.has(command.id)) return command;
    }
  }

  // ------------------------------------------------------------------ phase 2

  private propose(leader: Leader, slot: number, value: Value): void {
    assert(!leader.proposals.has(slot), `slot ${slot} proposed twice at one ballot`);
    leader.proposals.set(slot, { value, accepts: new VoteSet(), sentAt: this.ctx.now() });
    if (value !== null) leader.proposedIds.set(value.id, slot);
    this.ctx.observe({ kind: 'propose', slot, ballot: leader.ballot, value: valueKey(value) });
    leader.outgoing.push({ slot, value });
  }

  /** Puts queued commands into new slots while the window has room. */
  private proposeQueued(leader: Leader): void {
    while (leader.proposals.size < WINDOW) {
      const command = this.takeQueued();
      if (command === undefined) return;
      if (leader.proposedIds.has(command.id)) continue;
      this.propose(leader, leader.nextSlot++, command);
    }
  }

  /**
   * Proposes queued commands while the window has room and sends this
   * handler's proposals in one accept per acceptor, the leader's own first.
   */
  private flush(leader: Leader): void {
    while (this.role === leader) {
      this.proposeQueued(leader);
      if (leader.outgoing.length === 0) return;
      const entries = leader.outgoing.splice(0);
      const accept: Accept = { type: 'accept', ballot: leader.ballot, entries, chosen: this.executedUpTo, sentAt: this.ctx.now() };
      this.acceptLocally(leader, accept);
      if (this.role === leader) this.ctx.broadcast(accept);
    }
  }

  private heartbeat(leader: Leader): void {
    const now = this.ctx.now();
    const due: { slot: number; proposal: Proposal }[] = [];
    for (const [slot, proposal] of leader.proposals) {
      if (now - proposal.sentAt >= this.options.retryTimeout) due.push({ slot, proposal });
      if (due.length >= BATCH) break;
    }
    for (const node of this.ctx.nodes) {
      if (node === this.ctx.id) continue;
      // Retransmit what this acceptor has not acknowledged; an empty accept is the heartbeat.
      const entries = due.filter((entry) => !entry.proposal.accepts.has(node)).map((entry) => ({ slot: entry.slot, value: entry.proposal.value }));
      this.ctx.send(node, { type: 'accept', ballot: leader.ballot, entries, chosen: this.executedUpTo, sentAt: now });
    }
    for (const entry of due) entry.proposal.sentAt = now;
    this.acceptLocally(leader, { type: 'accept', ballot: leader.ballot, entries: [], chosen: this.executedUpTo, sentAt: now });
    if (this.role === leader) this.ctx.setTimer(TIMER_HEARTBEAT, this.options.heartbeatInterval);
  }

  /** The leader's own acceptor takes the accept as any other would. */
  private acceptLocally(leader: Leader, accept: Accept): void {
    const verdict = this.acceptor.onAccept(this.ctx.id, accept.ballot, accept.entries);
    if (verdict.kind === 'nack') this.onNack({ type: 'nack', ballot: accept.ballot, promised: verdict.promised });
    else this.countAccepted(leader, this.ctx.id, { type: 'accepted', ballot: leader.ballot, slots: verdict.slots, sentAt: accept.sentAt });
  }

  private onAccept(from: NodeId, msg: Accept): void {
    const verdict = this.acceptor.onAccept(from, msg.ballot, msg.entries);
    if (verdict.kind === 'nack') {
      this.ctx.send(from, { type: 'nack', ballot: msg.ballot, promised: verdict.promised });
      return;
    }
    this.ctx.send(from, { type: 'accepted', ballot: msg.ballot, slots: verdict.slots, sentAt: msg.sentAt } satisfies Accepted);
    this.heardFromLeader(from, msg.ballot);
    this.learnFromLeader(from, msg.ballot, msg.chosen);
  }

  /** An accept at `ballot` that this node's acceptor took: its sender is alive and leading. */
  private heardFromLeader(leader: NodeId, ballot: Ballot): void {
    const role = this.role;
    assert(leader === ballot.node, `${leader} sent an accept at ${ballot.node}'s ballot`);
    if (role.kind === 'leader') {
      // The acceptor took it, so it is at least our ballot, and ballots are unique per node.
      assert(compareBallots(ballot, role.ballot) > 0, `a leader accepted a lower or equal ballot from ${leader}`);
      this.follow(leader, ballot);
    } else if (role.kind === 'candidate') {
      if (compareBallots(ballot, role.ballot) < 0) return;
      this.follow(leader, ballot);
    } else if (role.leader !== leader || !sameBallot(role.ballot, ballot)) {
      this.follow(leader, ballot);
    }
    this.armElectionTimer();
  }

  private onAccepted(from: NodeId, msg: Accepted): void {
    const role = this.role;
    if (role.kind !== 'leader' || !sameBallot(role.ballot, msg.ballot)) return;
    this.countAccepted(role, from, msg);
    // Chosen slots free the window for queued commands.
    if (this.role === role) this.flush(role);
  }

  /** Records an acceptor's phase 2b (and lease grant); a slot a phase-2 quorum accepted is chosen. */
  private countAccepted(role: Leader, from: NodeId, msg: Accepted): void {
    if (msg.sentAt > (role.acks.get(from) ?? -Infinity)) role.acks.set(from, msg.sentAt);
    for (const slot of msg.slots) {
      const proposal = role.proposals.get(slot);
      if (proposal === undefined) continue;
      proposal.accepts.add(from);
      if (proposal.accepts.grants < this.q2) continue;
      // A phase-2 quorum accepted at this ballot: the value is chosen.
      role.proposals.delete(slot);
      this.learn(slot, proposal.value);
    }
  }

  /** Preempted (PMMC §2): an acceptor promised a higher ballot than ours. */
  private onNack(msg: Nack): void {
    const role = this.role;
    if (role.kind === 'follower' || !sameBallot(role.ballot, msg.ballot)) return;
    assert(compareBallots(msg.promised, msg.ballot) > 0, 'a nack names a promise above the refused ballot');
    if (role.kind === 'leader' && this.leaseHeld(role)) {
      // Nobody else can finish phase 1 while our lease lasts: reclaim leadership above the intruder's ballot now.
      this.startCandidacy();
      return;
    }
    // Step aside and watch for the winner; the random election timeout is the backoff (PMMC §3).
    this.follow(undefined, undefined);
    this.armElectionTimer();
  }

  /** True while a phase-2 quorum (the leader's own acceptor included) acknowledged an accept sent less than a lease ago. */
  private leaseHeld(leader: Leader): boolean {
    if (leader.acks.size < this.q2) return false;
    const sent = [...leader.acks.values()].sort((a, b) => b - a);
    const start = sent[this.q2 - 1] as Micros;
    return this.ctx.now() < start + this.options.leaseDuration;
  }

  // ------------------------------------------------------------------ learner

  private firstUnlearned(): number {
    let slot = this.executedUpTo + 1;
    while (this.log.has(slot)) slot++;
    return slot;
  }

  private learn(slot: number, value: Value): void {
    if (this.log.has(slot)) return;
    this.log.set(slot, value);
    this.ctx.observe({ kind: 'commit', slot, value: valueKey(value) });
    this.executeReady();
  }

  /** Executes decided slots in order (PMMC's replica: `perform`) and answers the clients this node holds. */
  private executeReady(): void {
    const role = this.role;
    for (;;) {
      const slot = this.executedUpTo + 1;
      if (!this.log.has(slot)) return;
      const value = this.log.get(slot) as Value;
      this.executedUpTo = slot;
      if (value === null) continue;
      const result = this.ctx.execute(value);
      this.results.set(value.id, result);
      if (role.kind === 'leader') role.proposedIds.delete(value.id);
      if (this.waiting.delete(value.id)) this.ctx.reply(value, result);
    }
  }

  /**
   * The leader of `ballot` says every slot up to `chosen` is decided. It
   * learns slots only through its own phase 2 at that ballot, so a slot this
   * acceptor accepted at the same ballot holds the decided value. For any
   * other slot, ask the leader.
   */
  private learnFromLeader(leader: NodeId, ballot: Ballot, chosen: number): void {
    if (this.role.kind === 'leader') return;
    for (let slot = this.executedUpTo + 1; slot <= chosen; slot++) {
      if (this.log.has(slot)) continue;
      const pvalue = this.acceptor.accepted(slot);
      if (pvalue === undefined || !sameBallot(pvalue.ballot, ballot)) {
        this.askCatchUp(leader, slot);
        return;
      }
      this.learn(slot, pvalue.value);
    }
  }

  private askCatchUp(to: NodeId, from: number): void {
    const now = this.ctx.now();
    const last = this.lastCatchUp;
    if (last !== undefined && last.from === from && now - last.at < this.options.retryTimeout) return;
    this.lastCatchUp = { at: now, from };
    this.ctx.send(to, { type: 'catch-up', from });
  }

  private onCatchUp(from: NodeId, msg: CatchUp): void {
    const entries: { slot: number; value: Value }[] = [];
    for (let slot = msg.from; entries.length < BATCH && this.log.has(slot); slot++) entries.push({ slot, value: this.log.get(slot) as Value });
    if (entries.length > 0) this.ctx.send(from, { type: 'chosen-batch', entries });
  }

  private onChosenBatch(from: NodeId, msg: ChosenBatch): void {
    // A leader learns slots only through its own phase 2 (so that its commit point speaks for its ballot).
    if (this.role.kind === 'leader') return;
    for (const entry of msg.entries) this.learn(entry.slot, entry.value);
    // A full batch means the sender knows more: ask for the rest at once.
    if (msg.entries.length === BATCH) {
      this.lastCatchUp = undefined;
      this.askCatchUp(from, this.firstUnlearned());
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Sends an acceptor's answer; to itself, a direct call (a node never messages itself). */
  private answer(to: NodeId, msg: Promise | Nack): void {
    if (to !== this.ctx.id) this.ctx.send(to, msg);
    else if (msg.type === 'promise') this.onPromise(to, msg);
    else this.onNack(msg);
  }
}
