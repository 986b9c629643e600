/**
 * Raft (Ongaro & Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", USENIX ATC 2014; Ongaro's thesis, Stanford 2014).
 *
 * Time is divided into terms, each with at most one leader (§5.1). A follower
 * that hears from no leader for a random election timeout becomes a
 * candidate: it raises its term, votes for itself and asks the others for
 * their votes (§5.2). A node grants one vote per term, and only to a candidate
 * whose log is at least as up to date as its own (§5.4.1). A candidate with a
 * majority becomes leader, appends a no-op entry of its term (§8) and sends
 * AppendEntries to every follower: new entries after (prevLogIndex,
 * prevLogTerm), which the follower accepts only if its own log holds that
 * entry (§5.3); a conflicting entry and all that follow it are deleted first.
 * The leader counts replicas only for entries of its own term; earlier
 * entries commit with them (§5.4.2, Figure 8). Every node applies committed
 * entries in index order; the leader answers the client after applying.
 *
 * currentTerm, votedFor and the log live on stable storage, written inside
 * the handler before any message leaves (Figure 2); everything else is
 * volatile and rebuilt after a restart.
 *
 * Options add PreVote (thesis §9.6), CheckQuorum (thesis §6.2 and §4.2.3) and
 * reads that skip the log (ReadIndex and leases, thesis §6.4).
 */
import { assert, assertNever, type ClientId, type Command, type Context, majority, type Micros, type NodeId, type Replica, type Result, VoteSet } from '../../src/api/index.js';
import { RaftLog } from './log.js';
import { entryLabel, type AppendEntries, type AppendReply, type Entry, type PreVote, type PreVoteReply, type RaftMessage, type RequestVote, type Vote } from './messages.js';
import type { RaftOptions } from './options.js';

const ELECTION_TIMER = 'election';
const HEARTBEAT_TIMER = 'heartbeat';
const CHECK_QUORUM_TIMER = 'check-quorum';
const VOTE_RETRY_TIMER = 'vote-retry';
const HARD_STATE_KEY = 'hard-state';

/** What Figure 2 keeps on stable storage besides the log. */
interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

/** The leader's view of one follower (Figure 2: nextIndex[], matchIndex[]). */
interface Progress {
  /** The next entry to send. */
  next: number;
  /** The highest entry known to be replicated on the follower. */
  match: number;
  /**
   * True until the follower accepts an AppendEntries, and again after it
   * refuses one: then one probe at a time goes out (on a reply or a
   * heartbeat). Otherwise entries are sent as they come and `next` moves past
   * them at once (pipelining); a lost message shows up as a refusal.
   */
  probing: boolean;
  /** The highest heartbeat round the follower acknowledged. */
  round: number;
}

/** A get served without the log, waiting for a round of heartbeats that started after it arrived (thesis §6.4). */
interface PendingRead {
  readonly command: Command;
  readonly round: number;
}

interface Follower {
  readonly kind: 'follower';
  readonly leader: NodeId | undefined;
}

interface PreCandidate {
  readonly kind: 'pre-candidate';
  /** The term this pre-vote asks about: currentTerm + 1. */
  readonly term: number;
  readonly votes: VoteSet<NodeId>;
}

interface Candidate {
  readonly kind: 'candidate';
  readonly votes: VoteSet<NodeId>;
}

interface Leader {
  readonly kind: 'leader';
  readonly progress: Map<NodeId, Progress>;
  /** The current heartbeat round; every AppendEntries carries it. */
  round: number;
  /** The highest round a majority (this leader included) acknowledged. */
  confirmedRound: number;
  /** When the unconfirmed rounds started, local time (lease reads start their lease there). */
  readonly roundStarts: { readonly round: number; readonly at: Micros }[];
  /** Lease reads: until when, local time, no other leader can exist (thesis §6.4.1). */
  leaseUntil: Micros;
  /** Followers heard from since the last CheckQuorum. */
  readonly heard: Set<NodeId>;
  readonly reads: PendingRead[];
  /** Commands this leader appended and has not applied yet, so a retry is not appended twice. */
  readonly appended: Set<string>;
}

type Role = Follower | PreCandidate | Candidate | Leader;

export class RaftReplica implements Replica<RaftMessage> {
  // persistent state (Figure 2), mirrored from stable storage
  private currentTerm = 0;
  private votedFor: NodeId | null = null;
  /** Read back from storage in `start()`. */
  private log!: RaftLog;

  // volatile state
  private commitIndex = 0;
  private lastApplied = 0;
  private role: Role = { kind: 'follower', leader: undefined };
  /** When this node last heard from a leader of its term, local time. */
  private leaderContactAt: Micros | undefined;
  /** Commands sent to this node, answered when it applies them. */
  private readonly waiting = new Map<string, Command>();
  /** Each client's latest applied command and its result, to answer a retry at once. */
  private readonly lastResults = new Map<ClientId, { readonly id: string; readonly result: Result }>();

  private readonly quorum: number;
  private readonly peers: readonly NodeId[];

  constructor(
    private readonly ctx: Context<RaftMessage>,
    private readonly options: RaftOptions,
    private readonly bug: string | undefined,
  ) {
    this.quorum = majority(ctx.nodes.length);
    this.peers = ctx.nodes.filter((node) => node !== ctx.id);
  }

  // ------------------------------------------------------------------ entry points

  start(): void {
    // Recover from stable storage alone; commitIndex and the state machine start
    // from zero and are rebuilt as entries become known committed (Figure 2).
    const hard = this.ctx.storage.get<HardState>(HARD_STATE_KEY);
    this.currentTerm = hard?.term ?? 0;
    this.votedFor = hard?.votedFor ?? null;
    this.log = new RaftLog(this.ctx.storage);
    // With CheckQuorum, a restarted node treats its boot as contact with a
    // leader: it may have acknowledged one just before it crashed, and that
    // leader's lease counts on it not to vote for anyone else yet (§4.2.3).
    if (this.options.checkQuorum) this.leaderContactAt = this.ctx.now();
    this.ctx.observe({ kind: 'follower', term: this.currentTerm });
    this.resetElectionTimer();
    this.checkLocalInvariants();
  }

  receive(from: NodeId, msg: RaftMessage): void {
    // §9.6: a pre-vote changes nothing on its receiver, not even the term.
    if (msg.type === 'pre-vote') {
      this.onPreVote(from, msg);
      this.checkLocalInvariants();
      return;
    }
    // §4.2.3 (with CheckQuorum): while a leader is heard from, a RequestVote
    // neither raises the term nor gets a vote.
    if (msg.type === 'request-vote' && this.options.checkQuorum && this.heardFromLeaderRecently()) return;
    // Figure 2, all servers: a higher term in any request or reply makes this node a follower of that term.
    if (msg.term > this.currentTerm) this.becomeFollower(msg.term, msg.type === 'append-entries' ? from : undefined);
    switch (msg.type) {
      case 'request-vote':
        this.onRequestVote(from, msg);
        break;
      case 'vote':
        this.onVote(from, msg);
        break;
      case 'pre-vote-reply':
        this.onPreVoteReply(from, msg);
        break;
      case 'append-entries':
        this.onAppendEntries(from, msg);
        break;
      case 'append-reply':
        this.onAppendReply(from, msg);
        break;
      default:
        assertNever(msg, 'message');
    }
    this.checkLocalInvariants();
  }

  timeout(name: string): void {
    switch (name) {
      case ELECTION_TIMER:
        this.onElectionTimeout();
        break;
      case HEARTBEAT_TIMER:
        this.onHeartbeatTimer();
        break;
      case CHECK_QUORUM_TIMER:
        this.onCheckQuorumTimer();
        break;
      case VOTE_RETRY_TIMER:
        this.onVoteRetryTimer();
        break;
      default:
        assert(false, `unknown timer ${name}`);
    }
    this.checkLocalInvariants();
  }

  request(command: Command): void {
    // Thesis §6.3: a server that already applied this command (a client's
    // retry after a lost reply) answers from its session table at once; the
    // entry is committed, so the saved result is final.
    const last = this.lastResults.get(command.client);
    if (last?.id === command.id) {
      this.ctx.reply(command, last.result);
      return;
    }
    const role = this.role;
    if (role.kind !== 'leader') {
      // Followers send clients to the leader they know (§8); others just say "not me".
      this.ctx.redirect(command, role.kind === 'follower' ? role.leader : undefined);
      return;
    }
    if (command.op === 'get' && this.options.readMode !== 'log') {
      this.read(role, command);
    } else {
      this.waiting.set(command.id, command);
      if (!role.appended.has(command.id)) this.appendCommand(role, command);
    }
    this.checkLocalInvariants();
  }

  inspect(): unknown {
    const role = this.role;
    return {
      role: role.kind,
      term: this.currentTerm,
      votedFor: this.votedFor,
      leader: role.kind === 'leader' ? this.ctx.id : role.kind === 'follower' ? role.leader : undefined,
      lastLogIndex: this.log.lastIndex,
      lastLogTerm: this.log.lastTerm,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
    };
  }

  // ------------------------------------------------------------------ elections (§5.2, §5.4.1)

  private onElectionTimeout(): void {
    assert(this.role.kind !== 'leader', 'the election timer fired on a leader');
    if (this.options.preVote) this.startPreVote();
    else this.startElection();
  }

  /** Thesis §9.6: ask whether a majority would vote before raising the term. */
  private startPreVote(): void {
    const votes = new VoteSet<NodeId>();
    votes.add(this.ctx.id);
    const term = this.currentTerm + 1;
    this.role = { kind: 'pre-candidate', term, votes };
    this.ctx.observe({ kind: 'pre-candidate', term: this.currentTerm });
    this.resetElectionTimer();
    if (votes.grants >= this.quorum) {
      this.startElection();
      return;
    }
    this.ctx.broadcast(this.preVoteRequest(term));
    this.ctx.setTimer(VOTE_RETRY_TIMER, this.options.heartbeatInterval);
  }

  private preVoteRequest(term: number): PreVote {
    return { type: 'pre-vote', term, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm };
  }

  /** §5.2: raise the term, vote for itself, ask everyone else. */
  private startElection(): void {
    this.currentTerm++;
    this.votedFor = this.ctx.id;
    this.persistHardState();
    const votes = new VoteSet<NodeId>();
    votes.add(this.ctx.id);
    this.role = { kind: 'candidate', votes };
    this.ctx.observe({ kind: 'candidate', term: this.currentTerm });
    this.resetElectionTimer();
    if (votes.grants >= this.quorum) {
      this.becomeLeader();
      return;
    }
    this.ctx.broadcast(this.voteRequest());
    this.ctx.setTimer(VOTE_RETRY_TIMER, this.options.heartbeatInterval);
  }

  private voteRequest(): RequestVote {
    return { type: 'request-vote', term: this.currentTerm, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm };
  }

  /** §5.1: RPCs are retried when no answer comes; a campaign asks again whoever has not answered. */
  private onVoteRetryTimer(): void {
    const role = this.role;
    if (role.kind !== 'candidate' && role.kind !== 'pre-candidate') return;
    const request = role.kind === 'candidate' ? this.voteRequest() : this.preVoteRequest(role.term);
    for (const peer of this.peers) if (!role.votes.has(peer)) this.ctx.send(peer, request);
    this.ctx.setTimer(VOTE_RETRY_TIMER, this.options.heartbeatInterval);
  }

  /** True when this node may vote for a candidate with that log (§5.4.1), unless the bug skips the check. */
  private candidateLogOk(lastLogIndex: number, lastLogTerm: number): boolean {
    if (this.bug === 'no-vote-restriction') return true;
    return !this.log.isMoreUpToDateThan(lastLogIndex, lastLogTerm);
  }

  private onRequestVote(from: NodeId, msg: RequestVote): void {
    if (msg.term < this.currentTerm) {
      this.ctx.send(from, { type: 'vote', term: this.currentTerm, granted: false });
      return;
    }
    // One vote per term, first come first served (§5.2), and only for an up-to-date log (§5.4.1).
    const free = this.votedFor === null || this.votedFor === from;
    const granted = free && this.candidateLogOk(msg.lastLogIndex, msg.lastLogTerm);
    if (granted && this.votedFor !== from) {
      this.votedFor = from;
      this.persistHardState();
      this.ctx.observe({ kind: 'voted', term: this.currentTerm, candidate: from });
    }
    if (granted) this.resetElectionTimer();
    const vote: Vote = { type: 'vote', term: this.currentTerm, granted };
    this.ctx.send(from, vote);
  }

  private onVote(from: NodeId, msg: Vote): void {
    const role = this.role;
    if (role.kind !== 'candidate' || msg.term !== this.currentTerm) return;
    role.votes.add(from, msg.granted);
    if (role.votes.grants >= this.quorum) this.becomeLeader();
  }

  /**
   * Thesis §9.6: grant a pre-vote when the candidate could win: its term would
   * be above ours, its log is up to date, and no leader has been heard from
   * within the minimum election timeout (§4.2.3). Nothing changes here.
   */
  private onPreVote(from: NodeId, msg: PreVote): void {
    const granted = msg.term > this.currentTerm && this.candidateLogOk(msg.lastLogIndex, msg.lastLogTerm) && !this.heardFromLeaderRecently();
    const reply: PreVoteReply = { type: 'pre-vote-reply', term: this.currentTerm, forTerm: msg.term, granted };
    this.ctx.send(from, reply);
  }

  private onPreVoteReply(from: NodeId, msg: PreVoteReply): void {
    const role = this.role;
    if (role.kind !== 'pre-candidate' || msg.forTerm !== role.term) return;
    role.votes.add(from, msg.granted);
    if (role.votes.grants >= this.quorum) this.startElection();
  }

  /** A leader, or a follower that heard from its leader within the minimum election timeout. */
  private heardFromLeaderRecently(): boolean {
    if (this.role.kind === 'leader') return true;
    return this.leaderContactAt !== undefined && this.ctx.now() - this.leaderContactAt < this.options.electionTimeout[0];
  }

  private becomeLeader(): void {
    const role = this.role;
    assert(role.kind === 'candidate', `${role.kind} cannot become leader`);
    assert(role.votes.grants >= this.quorum, `leader of term ${this.currentTerm} with ${role.votes.grants} votes`);
    this.ctx.observe({ kind: 'leader', term: this.currentTerm });
    this.ctx.cancelTimer(ELECTION_TIMER);
    this.ctx.cancelTimer(VOTE_RETRY_TIMER);
    if (this.bug === 'drop-uncommitted' && this.log.lastIndex > this.commitIndex) {
      // The bug: a new leader throws away what it does not know to be committed.
      this.log.replaceFrom(this.commitIndex + 1, []);
      this.observeLog(this.commitIndex + 1, []);
    }
    const progress = new Map<NodeId, Progress>();
    for (const peer of this.peers) progress.set(peer, { next: this.log.lastIndex + 1, match: 0, probing: true, round: 0 });
    const leader: Leader = { kind: 'leader', progress, round: 0, confirmedRound: 0, roundStarts: [], leaseUntil: 0, heard: new Set(), reads: [], appended: new Set() };
    this.role = leader;
    // §8: a no-op of the new term, so that earlier entries commit with it (§5.4.2).
    this.appendEntry(leader, { term: this.currentTerm, command: null });
    this.startRound(leader);
    this.ctx.setTimer(HEARTBEAT_TIMER, this.options.heartbeatInterval);
    if (this.options.checkQuorum) this.ctx.setTimer(CHECK_QUORUM_TIMER, this.options.electionTimeout[0]);
    this.advanceCommitIndex(leader);
  }

  /** Steps down (or stays down) as a follower of `term`, with the leader if known. */
  private becomeFollower(term: number, leader: NodeId | undefined): void {
    const before = this.role;
    const termChanged = term > this.currentTerm;
    if (termChanged) {
      this.currentTerm = term;
      this.votedFor = null;
      this.persistHardState();
    }
    if (before.kind === 'leader') {
      this.ctx.cancelTimer(HEARTBEAT_TIMER);
      this.ctx.cancelTimer(CHECK_QUORUM_TIMER);
      // A deposed leader cannot vouch for reads any more; the clients try elsewhere.
      for (const read of before.reads) this.ctx.redirect(read.command, leader);
      this.resetElectionTimer();
    }
    if (before.kind === 'candidate' || before.kind === 'pre-candidate') this.ctx.cancelTimer(VOTE_RETRY_TIMER);
    if (!termChanged && before.kind === 'follower' && before.leader === leader) return;
    this.role = { kind: 'follower', leader };
    this.ctx.observe(leader === undefined ? { kind: 'follower', term: this.currentTerm } : { kind: 'follower', term: this.currentTerm, leader });
  }

  private resetElectionTimer(): void {
    const [low, high] = this.options.electionTimeout;
    this.ctx.setTimer(ELECTION_TIMER, this.ctx.randomBetween(low, high));
  }

  private persistHardState(): void {
    // The forget-vote bug keeps votedFor in memory only: a restart forgets it.
    const votedFor = this.bug === 'forget-vote' ? null : this.votedFor;
    const hard: HardState = { term: this.currentTerm, votedFor };
    this.ctx.storage.set(HARD_STATE_KEY, hard);
  }

  // ------------------------------------------------------------------ log replication, leader side (§5.3)

  private appendCommand(leader: Leader, command: Command): void {
    leader.appended.add(command.id);
    this.appendEntry(leader, { term: this.currentTerm, command });
    // Followers in step get the entry at once; a probed one with its next probe.
    for (const [peer, progress] of leader.progress) if (!progress.probing) this.sendAppend(leader, peer);
    this.advanceCommitIndex(leader);
  }

  /** Leader Append-Only (§5.3): a leader only ever adds at the end of its log. */
  private appendEntry(leader: Leader, entry: Entry): number {
    assert(this.role === leader, 'only the leader appends to its own log');
    const index = this.log.append(entry);
    this.observeLog(index, [entry]);
    return index;
  }

  private sendAppend(leader: Leader, peer: NodeId): void {
    const progress = leader.progress.get(peer) as Progress;
    const prevLogIndex = progress.next - 1;
    const prevLogTerm = this.log.termAt(prevLogIndex);
    assert(prevLogTerm !== undefined, `nextIndex ${progress.next} for ${peer} is beyond the log (${this.log.lastIndex})`);
    const message: AppendEntries = {
      type: 'append-entries',
      term: this.currentTerm,
      prevLogIndex,
      prevLogTerm,
      entries: this.log.slice(progress.next, this.options.maxEntriesPerMessage),
      leaderCommit: this.commitIndex,
      round: leader.round,
    };
    if (!progress.probing) progress.next += message.entries.length;
    this.ctx.send(peer, message);
  }

  /** A new heartbeat round: AppendEntries to every follower, carrying whatever it lacks. */
  private startRound(leader: Leader): void {
    leader.round++;
    leader.roundStarts.push({ round: leader.round, at: this.ctx.now() });
    for (const peer of this.peers) this.sendAppend(leader, peer);
    this.confirmRounds(leader);
  }

  private onHeartbeatTimer(): void {
    const role = this.role;
    assert(role.kind === 'leader', `the heartbeat timer fired on a ${role.kind}`);
    this.startRound(role);
    this.ctx.setTimer(HEARTBEAT_TIMER, this.options.heartbeatInterval);
  }

  /** Thesis §6.2: a leader that has not heard from a majority for an election timeout steps down. */
  private onCheckQuorumTimer(): void {
    const role = this.role;
    assert(role.kind === 'leader', `the check-quorum timer fired on a ${role.kind}`);
    if (role.heard.size + 1 < this.quorum) {
      this.becomeFollower(this.currentTerm, undefined);
      return;
    }
    role.heard.clear();
    this.ctx.setTimer(CHECK_QUORUM_TIMER, this.options.electionTimeout[0]);
  }

  private onAppendReply(from: NodeId, msg: AppendReply): void {
    const role = this.role;
    if (role.kind !== 'leader' || msg.term !== this.currentTerm) return;
    const progress = role.progress.get(from);
    assert(progress !== undefined, `append-reply from ${from}, which is not a follower`);
    role.heard.add(from);
    if (msg.round > progress.round) {
      progress.round = msg.round;
      this.confirmRounds(role);
    }
    if (msg.success) {
      const answersProbe = progress.probing && msg.prevLogIndex === progress.next - 1;
      if (msg.matchIndex <= progress.match && !answersProbe) return; // a late or duplicated answer
      assert(msg.matchIndex <= this.log.lastIndex, `${from} matches up to ${msg.matchIndex}, beyond the leader's log (${this.log.lastIndex})`);
      progress.match = Math.max(progress.match, msg.matchIndex);
      progress.next = Math.max(progress.next, progress.match + 1);
      progress.probing = false;
      this.advanceCommitIndex(role);
      if (progress.next <= this.log.lastIndex) this.sendAppend(role, from);
      return;
    }
    // A refusal about entries the follower is known to hold, or one already acted on, is old news.
    // (Only a follower that lost its disk, a wipe, refuses what it once matched; it gets nothing more.)
    if (msg.prevLogIndex <= progress.match || msg.prevLogIndex >= progress.next) return;
    progress.next = Math.max(progress.match + 1, Math.min(this.nextAfterConflict(msg), msg.prevLogIndex));
    progress.probing = true;
    this.sendAppend(role, from);
  }

  /**
   * The fast back-off of §5.3 (the conflict-term variant): when the follower
   * names the term of its conflicting entry, skip to just after the leader's
   * last entry of that term, or, if the leader has none, to the first index
   * the follower holds of it; a follower whose log is too short names its end.
   */
  private nextAfterConflict(msg: AppendReply): number {
    const hint = msg.conflictIndex ?? msg.prevLogIndex;
    if (msg.conflictTerm === undefined) return hint;
    const last = this.log.lastIndexOfTerm(msg.conflictTerm);
    return last === undefined ? hint : last + 1;
  }

  /**
   * §5.3 and §5.4.2: the highest index stored on a majority becomes committed,
   * but only if it holds an entry of the current term; earlier entries commit
   * with it (the commit-old-term bug counts replicas for any entry: Figure 8).
   */
  private advanceCommitIndex(leader: Leader): void {
    const matches = [this.log.lastIndex];
    for (const progress of leader.progress.values()) matches.push(progress.match);
    matches.sort((a, b) => b - a);
    const index = matches[this.quorum - 1] as number;
    if (index <= this.commitIndex) return;
    if (this.bug !== 'commit-old-term' && this.log.termAt(index) !== this.currentTerm) return;
    this.setCommitIndex(index);
    this.serveReads(leader);
  }

  // ------------------------------------------------------------------ log replication, follower side (§5.3)

  private onAppendEntries(from: NodeId, msg: AppendEntries): void {
    if (msg.term < this.currentTerm) {
      // §5.1: a stale leader learns the newer term from the refusal.
      this.ctx.send(from, { type: 'append-reply', term: this.currentTerm, success: false, prevLogIndex: msg.prevLogIndex, matchIndex: 0, round: msg.round });
      return;
    }
    assert(this.role.kind !== 'leader', `${from} sent AppendEntries for term ${msg.term}, which ${this.ctx.id} leads (Election Safety)`);
    // §5.2: a candidate (or pre-candidate) that hears from the leader of its term steps down.
    const role = this.role;
    if (role.kind !== 'follower' || role.leader !== from) this.becomeFollower(this.currentTerm, from);
    this.leaderContactAt = this.ctx.now();
    this.resetElectionTimer();
    const reply = this.appendFromLeader(msg);
    this.ctx.send(from, reply);
  }

  /** The consistency check, conflict deletion and append of Figure 2 (receiver steps 2–5). */
  private appendFromLeader(msg: AppendEntries): AppendReply {
    const base = { type: 'append-reply', term: this.currentTerm, prevLogIndex: msg.prevLogIndex, round: msg.round } as const;
    const termThere = this.log.termAt(msg.prevLogIndex);
    if (termThere === undefined) return { ...base, success: false, matchIndex: 0, conflictIndex: this.log.lastIndex + 1 };
    if (termThere !== msg.prevLogTerm) {
      return { ...base, success: false, matchIndex: 0, conflictTerm: termThere, conflictIndex: this.log.firstIndexOfTerm(msg.prevLogIndex) };
    }
    this.storeEntries(msg.prevLogIndex, msg.entries);
    // Only what this message vouched for is known to match the leader's log.
    const matchIndex = msg.prevLogIndex + msg.entries.length;
    const commit = Math.min(msg.leaderCommit, matchIndex);
    if (commit > this.commitIndex) this.setCommitIndex(commit);
    return { ...base, success: true, matchIndex };
  }

  /**
   * Receiver step 3–4: skip the entries this log already holds with the same
   * term (never delete a matching entry: a late, shorter AppendEntries must not
   * undo a longer one), delete from the first conflict on, append the rest.
   */
  private storeEntries(prevLogIndex: number, entries: readonly Entry[]): void {
    let skip = 0;
    while (skip < entries.length) {
      const here = this.log.termAt(prevLogIndex + 1 + skip);
      if (here === undefined) break;
      // The no-truncate bug keeps whatever it holds, conflicting or not, and appends only past its end.
      if (here !== (entries[skip] as Entry).term && this.bug !== 'no-truncate') break;
      skip++;
    }
    if (skip === entries.length) return;
    const from = prevLogIndex + 1 + skip;
    assert(from > this.commitIndex, `deleting committed entry ${from} (commitIndex ${this.commitIndex})`);
    const added = entries.slice(skip);
    this.log.replaceFrom(from, added);
    this.observeLog(from, added);
  }

  // ------------------------------------------------------------------ commit and apply

  private setCommitIndex(index: number): void {
    assert(index > this.commitIndex, `commitIndex going back from ${this.commitIndex} to ${index}`);
    assert(index <= this.log.lastIndex, `committing ${index} beyond the log (${this.log.lastIndex})`);
    this.commitIndex = index;
    this.ctx.observe({ kind: 'commit', term: this.currentTerm, index });
    this.applyCommitted();
  }

  /** Applies committed entries in index order and answers the clients waiting here. */
  private applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      this.lastApplied++;
      const command = this.log.at(this.lastApplied).command;
      if (command === null) continue;
      if (this.role.kind === 'leader') this.role.appended.delete(command.id);
      const result = this.ctx.execute(command);
      this.lastResults.set(command.client, { id: command.id, result });
      if (this.waiting.delete(command.id)) this.ctx.reply(command, result);
    }
  }

  // ------------------------------------------------------------------ reads off the log (thesis §6.4)

  private read(leader: Leader, command: Command): void {
    if (this.options.readMode === 'lease' && this.ctx.now() < leader.leaseUntil && this.committedInTerm()) {
      this.ctx.reply(command, this.ctx.execute(command, { local: true }));
      return;
    }
    // ReadIndex: wait for a round of heartbeats that starts now to reach a majority.
    leader.reads.push({ command, round: leader.round + 1 });
    this.startRound(leader);
  }

  /** Thesis §6.4 step 1: a new leader knows the commit index only once an entry of its term is committed. */
  private committedInTerm(): boolean {
    return this.log.termAt(this.commitIndex) === this.currentTerm;
  }

  /** The highest round a majority acknowledged (the leader acknowledges its own), and the lease it buys. */
  private confirmRounds(leader: Leader): void {
    const rounds = [leader.round];
    for (const progress of leader.progress.values()) rounds.push(progress.round);
    rounds.sort((a, b) => b - a);
    const confirmed = rounds[this.quorum - 1] as number;
    if (confirmed <= leader.confirmedRound) return;
    leader.confirmedRound = confirmed;
    let start: Micros | undefined;
    while (leader.roundStarts.length > 0 && (leader.roundStarts[0] as { round: number }).round <= confirmed) start = (leader.roundStarts.shift() as { at: Micros }).at;
    // Thesis §6.4.1: a majority heard from this leader after `start`, and will
    // not vote for another before a minimum election timeout of their clocks.
    if (start !== undefined) leader.leaseUntil = Math.max(leader.leaseUntil, start + this.options.electionTimeout[0] / this.options.clockDriftBound);
    this.serveReads(leader);
  }

  /** Answers the reads whose round a majority confirmed, at the current commit index (thesis §6.4 steps 3–4). */
  private serveReads(leader: Leader): void {
    if (leader.reads.length === 0 || !this.committedInTerm()) return;
    assert(this.lastApplied === this.commitIndex, 'a leader applies what it commits at once');
    while (leader.reads.length > 0 && (leader.reads[0] as PendingRead).round <= leader.confirmedRound) {
      const { command } = leader.reads.shift() as PendingRead;
      this.ctx.reply(command, this.ctx.execute(command, { local: true }));
    }
  }

  // ------------------------------------------------------------------ reports and local checks

  /** Reports a change of this node's log: entries from `from` on are now exactly `entries`. */
  private observeLog(from: number, entries: readonly Entry[]): void {
    this.ctx.observe({ kind: 'log', term: this.currentTerm, from, entries: entries.map((entry) => ({ term: entry.term, id: entryLabel(entry) })) });
  }

  /** What must hold after every handler (TigerBeetle-style), cheaply. */
  private checkLocalInvariants(): void {
    assert(this.commitIndex <= this.log.lastIndex, `commitIndex ${this.commitIndex} beyond the log (${this.log.lastIndex})`);
    assert(this.lastApplied === this.commitIndex, `applied ${this.lastApplied} of ${this.commitIndex} committed entries`);
    assert(this.log.lastTerm <= this.currentTerm, `the log holds term ${this.log.lastTerm}, beyond the current term ${this.currentTerm}`);
    if (this.role.kind === 'candidate' || this.role.kind === 'leader') assert(this.votedFor === this.ctx.id, `a ${this.role.kind} of term ${this.currentTerm} voted for ${this.votedFor}`);
  }
}
