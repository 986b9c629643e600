/**
 * The acceptor: the fault-tolerant memory of Multi-Paxos (PMMC §2, the
 * Acceptor; Paxos Made Simple §2.2, P1a). Unlike single-decree Paxos per slot,
 * it keeps one promised ballot for every slot at once, so one phase 1 serves
 * all the slots a leader will ever use, and per slot only the pvalue with the
 * highest ballot it accepted (PMMC §4.1).
 *
 * Everything that matters survives a crash: the promise and each accepted
 * pvalue are written to stable storage, one key per slot, before the handler
 * returns and so before any reply leaves (PMMC §4.3).
 *
 * Leases (Paxos Made Live §5.2, "master leases"): an acceptor that accepts a
 * leader's accept (or heartbeat) promises not to promise any other node a
 * ballot for `guard` of its local time. A leader whose heartbeat a phase-2
 * quorum acknowledged knows that no other node can finish phase 1, and so
 * that no other value can be chosen, until its lease ends; see the README for
 * the clock assumption that makes `guard` long enough.
 */
import { type Ballot, compareBallots, type Context, type Micros, type NodeId } from '../../src/api/index.js';
import { type MultiPaxosMessage, type PValue, type Value, valueKey } from './messages.js';

export type PrepareVerdict =
  | { readonly kind: 'promise'; readonly accepted: readonly PValue[] }
  | { readonly kind: 'nack'; readonly promised: Ballot }
  /** Refused without an answer: this acceptor granted another node a lease that has not run out. */
  | { readonly kind: 'guarded' };

export type AcceptVerdict = { readonly kind: 'accepted'; readonly slots: readonly number[] } | { readonly kind: 'nack'; readonly promised: Ballot };

/** One slot's accepted pvalue, as stored. */
interface StoredSlot {
  readonly ballot: Ballot;
  readonly value: Value;
}

const KEY_PROMISED = 'acceptor/promised';
/** An upper bound on the slots this acceptor ever accepted, raised in steps so it is rarely rewritten. */
const KEY_SLOT_BOUND = 'acceptor/slot-bound';
const KEY_BOOTED = 'acceptor/booted';
const SLOT_BOUND_STEP = 64;

function slotKey(slot: number): string {
  return `acceptor/slot/${slot}`;
}

export class Acceptor {
  /** The promise, in memory only: used by the volatile-promise bug instead of storage. */
  private forgetfulPromise: Ballot | undefined;
  /** The lease this acceptor granted: no promise to anyone but `holder` before `until` (local time). */
  private guard: { holder: NodeId | undefined; until: Micros } | undefined;

  constructor(
    private readonly ctx: Context<MultiPaxosMessage>,
    private readonly guardDuration: Micros,
    private readonly bug: string | undefined,
  ) {}

  /**
   * Boot. A node that ran before may have granted a lease just before it
   * crashed, and the lease was not written down: it honours one guard period
   * from boot for every node before it promises anything.
   */
  start(): void {
    if (this.ctx.storage.get<boolean>(KEY_BOOTED) === true) {
      this.guard = { holder: undefined, until: this.ctx.now() + this.guardDuration };
    } else {
      this.ctx.storage.set(KEY_BOOTED, true);
    }
  }

  promised(): Ballot | undefined {
    if (this.bug === 'volatile-promise') return this.forgetfulPromise;
    return this.ctx.storage.get<Ballot>(KEY_PROMISED);
  }

  /** The pvalue accepted in `slot`, if any. */
  accepted(slot: number): PValue | undefined {
    const stored = this.ctx.storage.get<StoredSlot>(slotKey(slot));
    return stored === undefined ? undefined : { slot, ballot: stored.ballot, value: stored.value };
  }

  /** Phase 1b: promise `ballot` unless a higher one was promised (P1a) or another node holds a lease here. */
  onPrepare(from: NodeId, ballot: Ballot, fromSlot: number): PrepareVerdict {
    const promised = this.promised();
    const order = compareBallots(ballot, promised);
    if (order < 0) return { kind: 'nack', promised: promised as Ballot };
    if (order > 0) {
      // A new promise is what a lease forbids; repeating the same promise is not.
      if (this.isGuarded(from)) return { kind: 'guarded' };
      this.promise(ballot);
    }
    return { kind: 'promise', accepted: this.acceptedFrom(fromSlot) };
  }

  /**
   * Phase 2b: accept every entry unless a higher ballot was promised. An
   * accept at a ballot above the promise raises the promise (PMMC's acceptor
   * adopts the ballot of a p2a it accepts). Accepting renews the lease granted
   * to the sender.
   */
  onAccept(from: NodeId, ballot: Ballot, entries: readonly { readonly slot: number; readonly value: Value }[]): AcceptVerdict {
    const promised = this.promised();
    const order = compareBallots(ballot, promised);
    if (order < 0) return { kind: 'nack', promised: promised as Ballot };
    if (order > 0) this.promise(ballot);
    const slots: number[] = [];
    for (const entry of entries) {
      slots.push(entry.slot);
      const before = this.ctx.storage.get<StoredSlot>(slotKey(entry.slot));
      if (before !== undefined && compareBallots(before.ballot, ballot) === 0) continue; // a retransmission: already on disk
      this.ctx.storage.set(slotKey(entry.slot), { ballot, value: entry.value } satisfies StoredSlot);
      this.raiseSlotBound(entry.slot);
      this.ctx.observe({ kind: 'accept', slot: entry.slot, ballot, value: valueKey(entry.value) });
    }
    this.guard = { holder: from, until: this.ctx.now() + this.guardDuration };
    return { kind: 'accepted', slots };
  }

  /** For inspection: the lease this acceptor is honouring, if any. */
  guardView(): { holder: NodeId | undefined; until: Micros } | undefined {
    return this.guard !== undefined && this.ctx.now() < this.guard.until ? { ...this.guard } : undefined;
  }

  private isGuarded(candidate: NodeId): boolean {
    const guard = this.guard;
    if (guard === undefined) return false;
    if (this.ctx.now() >= guard.until) return false;
    return guard.holder !== candidate;
  }

  private promise(ballot: Ballot): void {
    if (this.bug === 'volatile-promise') this.forgetfulPromise = ballot;
    else this.ctx.storage.set(KEY_PROMISED, ballot);
    this.ctx.observe({ kind: 'promise', ballot });
  }

  private raiseSlotBound(slot: number): void {
    const bound = this.ctx.storage.get<number>(KEY_SLOT_BOUND) ?? 0;
    if (slot <= bound) return;
    this.ctx.storage.set(KEY_SLOT_BOUND, Math.ceil(slot / SLOT_BOUND_STEP) * SLOT_BOUND_STEP);
  }

  /** Every pvalue accepted in a slot ≥ `fromSlot`, in slot order. */
  private acceptedFrom(fromSlot: number): PValue[] {
    const bound = this.ctx.storage.get<number>(KEY_SLOT_BOUND) ?? 0;
    const result: PValue[] = [];
    for (let slot = Math.max(1, fromSlot); slot <= bound; slot++) {
      const pvalue = this.accepted(slot);
      if (pvalue !== undefined) result.push(pvalue);
    }
    return result;
  }
}
