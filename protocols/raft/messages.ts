/**
 * Raft's messages: the two RPCs of the paper's Figure 2 (RequestVote,
 * AppendEntries) with their replies, and the PreVote round of the thesis
 * (§9.6). Every message carries the sender's term; `receive` compares it once
 * for all of them (Figure 2, "Rules for Servers: All Servers").
 */
import type { Command } from '../../src/api/index.js';

/** A log entry: the term of the leader that created it, and a client command or null (the no-op a new leader appends, §8). */
export interface Entry {
  readonly term: number;
  readonly command: Command | null;
}

/** RequestVote (§5.2): "vote for me in `term`; my log ends at (lastLogIndex, lastLogTerm)" (§5.4.1). */
export interface RequestVote {
  readonly type: 'request-vote';
  readonly term: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/** The answer to RequestVote. */
export interface Vote {
  readonly type: 'vote';
  readonly term: number;
  readonly granted: boolean;
}

/**
 * PreVote (thesis §9.6): "would you vote for me in `term` (my term + 1)?"
 * The receiver changes nothing: not its term, not its vote.
 */
export interface PreVote {
  readonly type: 'pre-vote';
  /** The term the sender would campaign in: its current term + 1. */
  readonly term: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/** The answer to PreVote, with the voter's own current term. */
export interface PreVoteReply {
  readonly type: 'pre-vote-reply';
  readonly term: number;
  /** The term the pre-vote asked about, so a late answer to an older round is recognised. */
  readonly forTerm: number;
  readonly granted: boolean;
}

/** AppendEntries (§5.3): entries after (prevLogIndex, prevLogTerm), the leader's commit index; empty for a heartbeat. */
export interface AppendEntries {
  readonly type: 'append-entries';
  readonly term: number;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
  /** The leader's heartbeat round, echoed in the reply: ReadIndex, leases and CheckQuorum count these (thesis §6.4). */
  readonly round: number;
}

/**
 * The answer to AppendEntries. On success, `matchIndex` is the last index the
 * follower now knows to match the leader's log. On failure, the conflict hint
 * of §5.3 (last paragraphs): the follower's term at prevLogIndex and the first
 * index it holds of that term, or, when its log is too short, its length + 1.
 */
export interface AppendReply {
  readonly type: 'append-reply';
  readonly term: number;
  readonly success: boolean;
  /** prevLogIndex of the request answered. */
  readonly prevLogIndex: number;
  readonly matchIndex: number;
  readonly conflictTerm?: number;
  readonly conflictIndex?: number;
  readonly round: number;
}

export type RaftMessage = RequestVote | Vote | PreVote | PreVoteReply | AppendEntries | AppendReply;

/** `c1#3`, or `noop`. */
export function entryLabel(entry: Entry): string {
  return entry.command === null ? 'noop' : entry.command.id;
}

/** One-line rendering for readable traces. */
export function formatMessage(msg: RaftMessage): string {
  switch (msg.type) {
    case 'request-vote':
      return `request-vote t=${msg.term} last=${msg.lastLogIndex}@${msg.lastLogTerm}`;
    case 'vote':
      return `vote t=${msg.term} ${msg.granted ? 'granted' : 'refused'}`;
    case 'pre-vote':
      return `pre-vote t=${msg.term} last=${msg.lastLogIndex}@${msg.lastLogTerm}`;
    case 'pre-vote-reply':
      return `pre-vote-reply t=${msg.term} for=${msg.forTerm} ${msg.granted ? 'granted' : 'refused'}`;
    case 'append-entries': {
      const entries = msg.entries.map((entry, i) => `${msg.prevLogIndex + 1 + i}:${entry.term}:${entryLabel(entry)}`).join(' ');
      return `append-entries t=${msg.term} prev=${msg.prevLogIndex}@${msg.prevLogTerm} commit=${msg.leaderCommit}${entries === '' ? '' : ` [${entries}]`}`;
    }
    case 'append-reply':
      return msg.success
        ? `append-reply t=${msg.term} ok match=${msg.matchIndex}`
        : `append-reply t=${msg.term} refused prev=${msg.prevLogIndex} hint=${msg.conflictIndex ?? '?'}${msg.conflictTerm === undefined ? '' : `@${msg.conflictTerm}`}`;
  }
}
