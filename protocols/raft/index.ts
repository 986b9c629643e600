/** Raft: the ProtocolDefinition. */
import type { ProtocolDefinition } from '../../src/api/index.js';
import { raftInvariants } from './invariants.js';
import { formatMessage, type RaftMessage } from './messages.js';
import { raftOptions, validateOptions, type RaftOptions } from './options.js';
import { RaftReplica } from './replica.js';

export const protocol: ProtocolDefinition<RaftMessage, RaftOptions> = {
  name: 'raft',
  title: 'Raft',
  paper: 'Diego Ongaro and John Ousterhout. In Search of an Understandable Consensus Algorithm. USENIX ATC 2014; Diego Ongaro. Consensus: Bridging Theory and Practice. PhD thesis, Stanford University, 2014.',
  options: raftOptions,
  clientPolicy: 'leader',
  bugs: {
    'no-vote-restriction': 'voters grant their vote without the up-to-date check, so a candidate missing committed entries can win (breaks §5.4.1)',
    'commit-old-term': 'a leader commits entries of earlier terms by counting replicas, the situation of Figure 8 (breaks §5.4.2)',
    'forget-vote': 'votedFor is kept in memory only, so a node that restarts can vote twice in one term (breaks §5.2, Figure 2 persistence)',
    'no-truncate': 'a follower keeps conflicting entries instead of deleting them, appending only past its end (breaks §5.3)',
    'drop-uncommitted': 'a new leader deletes the entries after its commit index instead of keeping them (breaks Leader Append-Only, §5.3)',
  },
  validate: (options) => validateOptions(options),
  create: (ctx, options, bug) => new RaftReplica(ctx, options, bug),
  invariants: () => raftInvariants,
  fuzzOptions(random) {
    const options: Record<string, unknown> = {};
    // Entries one per message: an old entry can then reach a majority before
    // the new leader's no-op does, the situation of Figure 8.
    if (random() < 0.4) options.maxEntriesPerMessage = 1;
    if (random() < 0.3) options.preVote = true;
    if (random() < 0.3) options.checkQuorum = true;
    if (random() < 0.2) options.electionTimeout = ['150ms', '200ms'];
    const reads = random();
    if (reads < 0.2) options.readMode = 'read-index';
    else if (reads < 0.35) {
      // The fuzzer drifts clocks between half and twice true time, so two
      // clocks can differ fourfold: a lease that assumes less is not safe here.
      Object.assign(options, { readMode: 'lease', checkQuorum: true, clockDriftBound: 4 });
    }
    return options;
  },
  formatMessage,
};
