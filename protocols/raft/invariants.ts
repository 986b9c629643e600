/**
 * Raft's safety properties (the paper's Figure 3), checked from what nodes
 * report as they act: `leader`/`follower`/`candidate` when their role
 * changes, `log` whenever their log changes (entries from an index on are
 * replaced by the ones reported), and `commit` when their commit index
 * advances (they apply the newly committed entries in the same step). From
 * these each monitor rebuilds every node's log and keeps its own history
 * variables; all five run over a trace file too. A sixth invariant
 * cross-checks those reports against the nodes' `inspect()` views online, so
 * a node cannot silently misreport.
 */
import type { Invariant, InvariantMonitor, NodeId, TraceEvent, World } from '../../src/api/index.js';

/** An entry as nodes report it: its term and its command id (`noop` for a no-op). */
interface ReportedEntry {
  readonly term: number;
  readonly id: string;
}

/** What `inspect()` shows (see RaftReplica.inspect). */
interface RaftView {
  readonly role: string;
  readonly term: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly commitIndex: number;
}

type Report =
  | { readonly kind: 'leader' | 'follower' | 'candidate' | 'pre-candidate'; readonly node: NodeId; readonly term: number }
  | { readonly kind: 'log'; readonly node: NodeId; readonly from: number; readonly entries: readonly ReportedEntry[] }
  | { readonly kind: 'commit'; readonly node: NodeId; readonly term: number; readonly index: number }
  | { readonly kind: 'voted'; readonly node: NodeId; readonly term: number; readonly candidate: NodeId }
  | { readonly kind: 'crash' | 'wipe'; readonly node: NodeId };

/** The part of the trace these invariants read, as plain reports. */
function reportOf(event: TraceEvent): Report | undefined {
  if (event.type === 'crash' || event.type === 'wipe') return { kind: event.type, node: event.node };
  if (event.type !== 'observe') return undefined;
  const e = event.event as { kind: string; term?: number; from?: number; index?: number; entries?: readonly ReportedEntry[]; candidate?: NodeId };
  switch (e.kind) {
    case 'leader':
    case 'follower':
    case 'candidate':
    case 'pre-candidate':
      return { kind: e.kind, node: event.node, term: e.term ?? 0 };
    case 'log':
      return { kind: 'log', node: event.node, from: e.from ?? 1, entries: e.entries ?? [] };
    case 'commit':
      return { kind: 'commit', node: event.node, term: e.term ?? 0, index: e.index ?? 0 };
    case 'voted':
      return { kind: 'voted', node: event.node, term: e.term ?? 0, candidate: e.candidate ?? '' };
    default:
      return undefined;
  }
}

/**
 * Every node's log, role and commit index as its reports describe them. A
 * crash keeps the log (it is on disk) and loses the commit index; a wipe
 * loses both.
 */
class ClusterReports {
  private readonly logs = new Map<NodeId, ReportedEntry[]>();
  /** The term each node claims to lead, while it does. */
  readonly leading = new Map<NodeId, number>();
  private readonly commits = new Map<NodeId, number>();

  logOf(node: NodeId): readonly ReportedEntry[] {
    return this.logs.get(node) ?? [];
  }

  commitOf(node: NodeId): number {
    return this.commits.get(node) ?? 0;
  }

  apply(report: Report): void {
    switch (report.kind) {
      case 'leader':
        this.leading.set(report.node, report.term);
        return;
      case 'follower':
      case 'candidate':
      case 'pre-candidate':
        this.leading.delete(report.node);
        return;
      case 'log': {
        let log = this.logs.get(report.node);
        if (log === undefined) this.logs.set(report.node, (log = []));
        log.length = Math.min(log.length, report.from - 1);
        for (const entry of report.entries) log.push(entry);
        return;
      }
      case 'commit':
        this.commits.set(report.node, report.index);
        return;
      case 'voted':
        return;
      case 'wipe':
        this.logs.delete(report.node);
        this.commits.delete(report.node);
        this.leading.delete(report.node);
        return;
      case 'crash':
        this.commits.delete(report.node);
        this.leading.delete(report.node);
        return;
    }
  }
}

const EVENT_TYPES = ['observe', 'crash', 'wipe'] as const;

/** A monitor that sees each report before the shared picture takes it in. */
function monitor(check: (report: Report, reports: ClusterReports, world: World) => void): InvariantMonitor {
  const reports = new ClusterReports();
  return {
    eventTypes: EVENT_TYPES,
    onEvent(event: TraceEvent, world: World) {
      const report = reportOf(event);
      if (report === undefined) return;
      check(report, reports, world);
      reports.apply(report);
    },
  };
}

function describe(entry: ReportedEntry | undefined): string {
  return entry === undefined ? 'nothing' : `${entry.id} (term ${entry.term})`;
}

function sameEntry(a: ReportedEntry | undefined, b: ReportedEntry | undefined): boolean {
  return a !== undefined && b !== undefined && a.term === b.term && a.id === b.id;
}

/** §5.2: at most one leader can be elected in a given term. */
export const electionSafety: Invariant = {
  name: 'raft.election-safety',
  description: 'Election Safety (Figure 3): at most one leader can be elected in a given term.',
  needs: 'events',
  create() {
    const leaders = new Map<number, NodeId>();
    return monitor((report, _reports, world) => {
      if (report.kind !== 'leader') return;
      const earlier = leaders.get(report.term);
      if (earlier === undefined) leaders.set(report.term, report.node);
      else if (earlier !== report.node) world.violation(`${report.node} became leader of term ${report.term}, which ${earlier} already leads`, [earlier, report.node]);
    });
  },
};

/**
 * §5.2: each server votes for at most one candidate in a given term (a
 * candidate votes for itself). The rule Election Safety rests on; votedFor is
 * on stable storage so that a restart cannot break it.
 */
export const voteOncePerTerm: Invariant = {
  name: 'raft.vote-once-per-term',
  description: 'Each server will vote for at most one candidate in a given term (§5.2), across restarts.',
  needs: 'events',
  create() {
    const votes = new Map<string, NodeId>();
    return monitor((report, _reports, world) => {
      if (report.kind !== 'voted' && report.kind !== 'candidate') return;
      const candidate = report.kind === 'voted' ? report.candidate : report.node;
      const key = `${report.node}/${report.term}`;
      const earlier = votes.get(key);
      if (earlier === undefined) votes.set(key, candidate);
      else if (earlier !== candidate) world.violation(`${report.node} voted for ${candidate} in term ${report.term}, after voting for ${earlier}`, [report.node]);
    });
  },
};

/** §5.3: a leader never overwrites or deletes entries in its log; it only appends new entries. */
export const leaderAppendOnly: Invariant = {
  name: 'raft.leader-append-only',
  description: 'Leader Append-Only (Figure 3): a leader never overwrites or deletes entries in its log; it only appends new entries.',
  needs: 'events',
  create() {
    return monitor((report, reports, world) => {
      if (report.kind !== 'log') return;
      const term = reports.leading.get(report.node);
      const length = reports.logOf(report.node).length;
      if (term !== undefined && report.from <= length) {
        world.violation(`${report.node}, leader of term ${term}, replaced its log from index ${report.from} on (it held ${length} entries)`, [report.node]);
      }
    });
  },
};

/**
 * §5.3: if two logs contain an entry with the same index and term, the logs
 * are identical in all entries up through that index. Checked incrementally:
 * an (index, term) pair must always come with the same command and the same
 * term just before it, whichever node reports it and whenever; by induction
 * on the index that is Log Matching (the paper's argument: a leader creates
 * at most one entry per index in its term, and entries never move).
 */
export const logMatching: Invariant = {
  name: 'raft.log-matching',
  description: 'Log Matching (Figure 3): if two logs contain an entry with the same index and term, the logs are identical in all entries up through the given index.',
  needs: 'events',
  create() {
    const seen = new Map<string, { readonly id: string; readonly previousTerm: number; readonly node: NodeId }>();
    return monitor((report, reports, world) => {
      if (report.kind !== 'log') return;
      const log = reports.logOf(report.node);
      report.entries.forEach((entry, offset) => {
        const index = report.from + offset;
        const before = offset > 0 ? report.entries[offset - 1] : log[index - 2];
        const previousTerm = index === 1 ? 0 : (before?.term ?? -1);
        const key = `${index}/${entry.term}`;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, { id: entry.id, previousTerm, node: report.node });
        } else if (first.id !== entry.id) {
          world.violation(`index ${index}, term ${entry.term} holds ${entry.id} on ${report.node} but ${first.id} on ${first.node}`, [report.node, first.node]);
        } else if (first.previousTerm !== previousTerm) {
          world.violation(`index ${index}, term ${entry.term} (${entry.id}) follows an entry of term ${previousTerm} on ${report.node} but of term ${first.previousTerm} on ${first.node}: their logs differ before it`, [report.node, first.node]);
        }
      });
    });
  },
};

/** The entries nodes reported committed, with the lowest term in which a node reported each. */
class CommittedEntries {
  private readonly entries: { entry: ReportedEntry; term: number }[] = [];

  /** Records that `entry` at `index` was committed in `term`; returns the entry recorded first if it differs. */
  record(index: number, entry: ReportedEntry, term: number): ReportedEntry | undefined {
    const known = this.entries[index - 1];
    if (known === undefined) {
      this.entries[index - 1] = { entry, term };
      return undefined;
    }
    if (!sameEntry(known.entry, entry)) return known.entry;
    known.term = Math.min(known.term, term);
    return undefined;
  }

  /** Committed entries from terms before `term`, with their indices. */
  *before(term: number): Generator<[number, ReportedEntry]> {
    for (let i = 0; i < this.entries.length; i++) {
      const known = this.entries[i];
      if (known !== undefined && known.term < term) yield [i + 1, known.entry];
    }
  }
}

/** The indices a commit report newly covers for its node, with the node's entries there. */
function newlyCommitted(report: Extract<Report, { kind: 'commit' }>, reports: ClusterReports): [number, ReportedEntry | undefined][] {
  const log = reports.logOf(report.node);
  const result: [number, ReportedEntry | undefined][] = [];
  for (let index = reports.commitOf(report.node) + 1; index <= report.index; index++) result.push([index, log[index - 1]]);
  return result;
}

/** §5.4: an entry committed in a term is present in the logs of the leaders of all higher terms. */
export const leaderCompleteness: Invariant = {
  name: 'raft.leader-completeness',
  description: 'Leader Completeness (Figure 3): if a log entry is committed in a given term, that entry will be present in the logs of the leaders for all higher-numbered terms.',
  needs: 'events',
  create() {
    const committed = new CommittedEntries();
    const missing = (leader: NodeId, term: number, index: number, entry: ReportedEntry, log: readonly ReportedEntry[], world: World) =>
      world.violation(`${leader}, leader of term ${term}, holds ${describe(log[index - 1])} at index ${index}, where ${describe(entry)} was committed in an earlier term`, [leader]);
    return monitor((report, reports, world) => {
      if (report.kind === 'leader') {
        const log = reports.logOf(report.node);
        for (const [index, entry] of committed.before(report.term)) {
          if (!sameEntry(log[index - 1], entry)) return missing(report.node, report.term, index, entry, log, world);
        }
      } else if (report.kind === 'commit') {
        for (const [index, entry] of newlyCommitted(report, reports)) {
          if (entry === undefined) continue;
          committed.record(index, entry, report.term);
          // Leaders of later terms already elected must hold it too.
          for (const [leader, term] of reports.leading) {
            const log = reports.logOf(leader);
            if (term > report.term && !sameEntry(log[index - 1], entry)) return missing(leader, term, index, entry, log, world);
          }
        }
      }
    });
  },
};

/**
 * §5.4.2: "Raft never commits log entries from previous terms by counting
 * replicas." A leader moves its commit index only by counting, so each
 * advance it reports must land on an entry of its own term; the entries
 * before it commit indirectly. The step rule that rules out Figure 8.
 */
export const leaderCommitsCurrentTerm: Invariant = {
  name: 'raft.leader-commits-current-term',
  description: 'A leader advances its commit index only to an entry of its current term; earlier entries commit indirectly with it (§5.4.2, Figure 8).',
  needs: 'events',
  create() {
    return monitor((report, reports, world) => {
      if (report.kind !== 'commit') return;
      const term = reports.leading.get(report.node);
      if (term === undefined) return;
      const entry = reports.logOf(report.node)[report.index - 1];
      if (entry?.term !== term) world.violation(`${report.node}, leader of term ${term}, committed up to index ${report.index} by counting replicas, where it holds ${describe(entry)}`, [report.node]);
    });
  },
};

/** §5.4.3: no two servers apply different entries at the same index. */
export const stateMachineSafety: Invariant = {
  name: 'raft.state-machine-safety',
  description: 'State Machine Safety (Figure 3): if a server has applied a log entry at a given index to its state machine, no other server will ever apply a different log entry for the same index.',
  needs: 'events',
  create() {
    const applied: { entry: ReportedEntry; node: NodeId }[] = [];
    return monitor((report, reports, world) => {
      if (report.kind !== 'commit') return;
      for (const [index, entry] of newlyCommitted(report, reports)) {
        if (entry === undefined) {
          world.violation(`${report.node} committed index ${index}, beyond its log`, [report.node]);
          return;
        }
        const first = applied[index - 1];
        if (first === undefined) applied[index - 1] = { entry, node: report.node };
        else if (!sameEntry(first.entry, entry)) {
          world.violation(`${report.node} applied ${describe(entry)} at index ${index}, where ${first.node} applied ${describe(first.entry)}`, [report.node, first.node]);
          return;
        }
      }
    });
  },
};

/** Online only: what a node reported matches its `inspect()` view after each of its steps. */
export const reportsMatchState: Invariant = {
  name: 'raft.reports-match-state',
  description: "What a node reports (role, log, commit index) matches its own state as inspect() shows it after each step, so the other invariants judge the real logs.",
  needs: 'state',
  create() {
    const reports = new ClusterReports();
    return {
      eventTypes: EVENT_TYPES,
      onEvent(event: TraceEvent) {
        const report = reportOf(event);
        if (report !== undefined) reports.apply(report);
      },
      onStep(node: NodeId, world: World) {
        const view = world.view(node) as RaftView | undefined;
        if (view === undefined) return;
        const log = reports.logOf(node);
        const problems: string[] = [];
        if (view.lastLogIndex !== log.length) problems.push(`its log holds ${view.lastLogIndex} entries, its reports ${log.length}`);
        else if (view.lastLogTerm !== (log[log.length - 1]?.term ?? 0)) problems.push(`its last entry has term ${view.lastLogTerm}, its reports ${log[log.length - 1]?.term ?? 0}`);
        if (view.commitIndex !== reports.commitOf(node)) problems.push(`its commit index is ${view.commitIndex}, its reports ${reports.commitOf(node)}`);
        const leading = reports.leading.get(node);
        if ((view.role === 'leader') !== (leading === view.term)) problems.push(`it is ${view.role} of term ${view.term}, its reports ${leading === undefined ? 'no leadership' : `leadership of term ${leading}`}`);
        if (problems.length > 0) world.violation(`${node}: ${problems.join('; ')}`, [node]);
      },
    };
  },
};

export const raftInvariants: readonly Invariant[] = [electionSafety, voteOncePerTerm, leaderAppendOnly, logMatching, leaderCompleteness, leaderCommitsCurrentTerm, stateMachineSafety, reportsMatchState];
