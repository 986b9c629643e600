/**
 * Multi-Paxos options, with their defaults. Quorum sizes default to a
 * majority; Flexible Paxos sizes are checked by the same rule as single-decree
 * Paxos (q1 + q2 > n unless `allowUnsafeQuorums`).
 */
import { z } from 'zod';
import { durationOption, durationRangeOption } from '../../src/api/index.js';
import { validateQuorums } from '../paxos/options.js';

export const multiPaxosOptions = z.strictObject({
  phase1Quorum: z.number().int().min(1).optional().describe('acceptors that must promise to a new leader (default: a majority)'),
  phase2Quorum: z.number().int().min(1).optional().describe('acceptors that must accept a value for it to be chosen (default: a majority)'),
  allowUnsafeQuorums: z.boolean().default(false).describe('allow phase1Quorum + phase2Quorum ≤ nodes, to watch the checker catch it'),
  heartbeatInterval: durationOption('50ms', 'how often the leader sends an accept (a heartbeat when it has nothing to propose)'),
  electionTimeout: durationRangeOption(['400ms', '800ms'], 'a follower that hears nothing from a leader for a random time in this range runs phase 1'),
  retryTimeout: durationOption('100ms', 'how long a leader or candidate waits for an answer before sending a prepare or accept again'),
  leaseDuration: durationOption('100ms', "how long, on the leader's clock, a lease lasts after the heartbeat that a phase-2 quorum acknowledged was sent"),
  maxClockRate: z
    .number()
    .min(1)
    .max(1000)
    .default(2)
    .describe('the clock assumption of leases: every clock runs at between 1/maxClockRate and maxClockRate times true time (default 2)'),
  leaseReads: z.boolean().default(false).describe('a leader holding a lease answers reads from its own state, without phase 2 (default false: reads go through the log)'),
});

export type MultiPaxosOptions = z.output<typeof multiPaxosOptions>;

/**
 * How long an acceptor that acknowledged a leader's accept refuses to promise
 * anyone else: the lease stretched by the worst ratio of two clock rates, so
 * that it outlasts the lease in true time whichever clocks run fast or slow.
 */
export function leaseGuard(options: MultiPaxosOptions): number {
  return Math.ceil(options.leaseDuration * options.maxClockRate * options.maxClockRate);
}

export function validateOptions(options: MultiPaxosOptions, n: number): { field: string; message: string } | undefined {
  const quorums = validateQuorums(options, n);
  if (quorums !== undefined) return quorums;
  if (options.heartbeatInterval >= options.electionTimeout[0]) {
    return { field: 'heartbeatInterval', message: 'must be shorter than the low end of electionTimeout, or followers give up on a healthy leader between two heartbeats' };
  }
  if (options.heartbeatInterval >= options.leaseDuration) {
    return { field: 'leaseDuration', message: 'must be longer than heartbeatInterval, or the leader never holds its lease between two heartbeats' };
  }
  return undefined;
}
