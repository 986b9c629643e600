/**
 * Sanity bounds on scenario sizes. A scenario beyond them is refused with a
 * clear message rather than attempted: a billion nodes would only exhaust
 * memory before failing.
 */
export const LIMITS = {
  nodes: 64,
  clients: 10_000,
  requests: 10_000_000,
  /** Simulated time, µs: one day. */
  until: 86_400_000_000,
  maxEvents: 2_000_000_000,
  faults: 10_000,
  faultRepetitions: 100_000,
  scriptOperations: 100_000,
  keys: 1_000_000,
  links: 10_000,
} as const;
