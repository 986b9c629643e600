/** Single-decree Paxos per log slot: the ProtocolDefinition. */
import { formatBallot, type ProtocolDefinition } from '../../src/api/index.js';
import { paxosInvariants } from './invariants.js';
import { valueKey, type PaxosMessage } from './messages.js';
import { paxosOptions, validateQuorums, type PaxosOptions } from './options.js';
import { PaxosReplica } from './replica.js';

export const protocol: ProtocolDefinition<PaxosMessage, PaxosOptions> = {
  name: 'paxos',
  title: 'Paxos (single-decree, one instance per log slot)',
  paper: 'Leslie Lamport. The Part-Time Parliament. ACM TOCS 16(2), 1998; Paxos Made Simple. ACM SIGACT News 32(4), 2001.',
  options: paxosOptions,
  clientPolicy: 'nearest',
  bugs: {
    'no-adopt': 'the proposer ignores values reported in promises and proposes its own (breaks P2c, §2.2)',
    'no-persist': 'acceptors keep promises and acceptances in memory only, so a restart forgets them',
    'keep-old-value': 'an acceptor accepting a higher ballot keeps the value it accepted before instead of the proposed one',
    'local-read': "a node answers reads from its own copy of the store without a Paxos round, so it can return a value older than one a client already saw written",
  },
  validate: validateQuorums,
  create: (ctx, options, bug) => new PaxosReplica(ctx, options, bug),
  invariants: () => paxosInvariants,
  formatMessage(msg) {
    switch (msg.type) {
      case 'prepare':
        return `prepare slot=${msg.slot} b=${formatBallot(msg.ballot)}`;
      case 'promise':
        return `promise slot=${msg.slot} b=${formatBallot(msg.ballot)}${msg.accepted ? ` accepted=(${formatBallot(msg.accepted.ballot)}, ${valueKey(msg.accepted.value)})` : ''}`;
      case 'accept':
        return `accept slot=${msg.slot} b=${formatBallot(msg.ballot)} v=${valueKey(msg.value)}`;
      case 'accepted':
        return `accepted slot=${msg.slot} b=${formatBallot(msg.ballot)} v=${valueKey(msg.value)}`;
      case 'nack':
        return `nack slot=${msg.slot} b=${formatBallot(msg.ballot)} promised=${formatBallot(msg.promised)}`;
      case 'chosen':
        return `chosen slot=${msg.slot} v=${valueKey(msg.value)}`;
      case 'catch-up':
        return `catch-up from=${msg.from}`;
      case 'chosen-batch':
        return `chosen-batch ${msg.entries.map((e) => `${e.slot}:${valueKey(e.value)}`).join(' ')}`;
    }
  },
};
