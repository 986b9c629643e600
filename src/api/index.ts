/** The protocol API: the only part of `src/` that `protocols/` may import. */
export * from './types.js';
export * from './duration.js';
export * from './quorum.js';
export * from './events.js';
export * from './invariant.js';
export * from './protocol.js';
export * from './options.js';
export * from './ballot.js';
