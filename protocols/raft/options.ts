/**
 * Raft options, with their defaults. The extensions (PreVote, CheckQuorum,
 * reads off the log) are off by default, as etcd and others ship them.
 */
import { z } from 'zod';
import { durationOption, durationRangeOption } from '../../src/api/index.js';

/** How a `get` is answered: through the log, or by the leader after confirming it still leads (thesis §6.4). */
export const READ_MODES = ['log', 'read-index', 'lease'] as const;
export type ReadMode = (typeof READ_MODES)[number];

export const raftOptions = z.strictObject({
  electionTimeout: durationRangeOption(['150ms', '300ms'], 'a follower that hears from no leader for a random time in this range starts an election (§5.2, §9.3)'),
  heartbeatInterval: durationOption('50ms', 'how often a leader sends AppendEntries, empty or not, to every follower (§5.2)'),
  maxEntriesPerMessage: z.number().int().min(1).max(10_000).default(64).describe('the most log entries one AppendEntries carries (default 64)'),
  preVote: z
    .boolean()
    .default(false)
    .describe('PreVote (thesis §9.6): ask for votes without raising the term first, so a node that was cut off cannot depose a healthy leader when it comes back (default false)'),
  checkQuorum: z
    .boolean()
    .default(false)
    .describe(
      'CheckQuorum (thesis §6.2): a leader that has not heard from a majority for an election timeout steps down; and a node that heard from a leader within the minimum election timeout ignores RequestVote (thesis §4.2.3) (default false)',
    ),
  readMode: z
    .enum(READ_MODES)
    .default('log')
    .describe("how gets are served: 'log' appends them like writes; 'read-index' confirms leadership with a round of heartbeats (thesis §6.4); 'lease' trusts a lease on bounded clock drift (thesis §6.4.1; needs checkQuorum) (default log)"),
  clockDriftBound: z
    .number()
    .min(1)
    .max(10)
    .default(1.1)
    .describe('lease reads only: the largest ratio between two nodes’ clock rates the lease assumes; the lease lasts the minimum election timeout divided by this (default 1.1)'),
});

export type RaftOptions = z.output<typeof raftOptions>;

/** Options that cannot work together, with the field to blame. */
export function validateOptions(options: RaftOptions): { field: string; message: string } | undefined {
  const [low] = options.electionTimeout;
  if (low <= 0) return { field: 'electionTimeout', message: 'the election timeout must be above zero' };
  if (options.heartbeatInterval <= 0) return { field: 'heartbeatInterval', message: 'the heartbeat interval must be above zero' };
  if (options.heartbeatInterval >= low) {
    return { field: 'heartbeatInterval', message: `${options.heartbeatInterval / 1000}ms is not below the minimum election timeout (${low / 1000}ms): followers would time out between heartbeats (§5.6: broadcastTime ≪ electionTimeout)` };
  }
  if (options.readMode === 'lease' && !options.checkQuorum) {
    return { field: 'readMode', message: 'lease reads need checkQuorum: true, so that voters refuse to elect a new leader while the old one’s lease may still run (thesis §4.2.3, §6.4.1)' };
  }
  return undefined;
}
