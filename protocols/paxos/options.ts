/** Paxos options, with their defaults. Quorum sizes default to a majority. */
import { z } from 'zod';
import { durationOption, durationRangeOption, majority, quorumsIntersect } from '../../src/api/index.js';

export const paxosOptions = z.strictObject({
  phase1Quorum: z.number().int().min(1).optional().describe('acceptors that must promise (default: a majority)'),
  phase2Quorum: z.number().int().min(1).optional().describe('acceptors that must accept (default: a majority)'),
  allowUnsafeQuorums: z.boolean().default(false).describe('allow phase1Quorum + phase2Quorum ≤ nodes, to watch the checker catch it'),
  retryTimeout: durationOption('300ms', 'how long a proposer waits for a quorum before trying again'),
  backoff: durationRangeOption(['5ms', '50ms'], 'random wait after being pre-empted by a higher ballot'),
});

export type PaxosOptions = z.output<typeof paxosOptions>;

/** Phase-1 and phase-2 quorum sizes: as configured, or a majority of `n`. */
export function quorumSizes(options: { readonly phase1Quorum?: number | undefined; readonly phase2Quorum?: number | undefined }, n: number): { q1: number; q2: number } {
  return { q1: options.phase1Quorum ?? majority(n), q2: options.phase2Quorum ?? majority(n) };
}

/**
 * Flexible Paxos (Howard, Malkhi, Spiegelman 2016): only phase-1 and phase-2
 * quorums must intersect, so with counting quorums q1 + q2 > n is enough.
 */
export function validateQuorums(options: { phase1Quorum?: number | undefined; phase2Quorum?: number | undefined; allowUnsafeQuorums: boolean }, n: number): { field: string; message: string } | undefined {
  const { q1, q2 } = quorumSizes(options, n);
  if (q1 > n) return { field: 'phase1Quorum', message: `${q1} is more acceptors than the ${n} nodes` };
  if (q2 > n) return { field: 'phase2Quorum', message: `${q2} is more acceptors than the ${n} nodes` };
  if (!quorumsIntersect(n, q1, q2) && !options.allowUnsafeQuorums) {
    return {
      field: options.phase2Quorum !== undefined ? 'phase2Quorum' : 'phase1Quorum',
      message: `phase1Quorum ${q1} + phase2Quorum ${q2} ≤ ${n} nodes: a phase-1 quorum can miss a value a phase-2 quorum chose, so two values can be chosen. Flexible Paxos needs q1 + q2 > n; set allowUnsafeQuorums: true to run it anyway`,
    };
  }
  return undefined;
}
