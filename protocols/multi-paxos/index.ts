/** Multi-Paxos with a stable leader: the ProtocolDefinition. */
import { formatBallot, type ProtocolDefinition } from '../../src/api/index.js';
import { multiPaxosInvariants } from './invariants.js';
import { type MultiPaxosMessage, valueKey } from './messages.js';
import { multiPaxosOptions, type MultiPaxosOptions, validateOptions } from './options.js';
import { MultiPaxosReplica } from './replica.js';

export const protocol: ProtocolDefinition<MultiPaxosMessage, MultiPaxosOptions> = {
  name: 'multi-paxos',
  title: 'Multi-Paxos (a stable leader runs phase 1 once, then phase 2 per command)',
  paper:
    'Leslie Lamport. Paxos Made Simple, 2001, §3; Robbert van Renesse and Deniz Altinbuken. Paxos Made Moderately Complex. ACM Computing Surveys 47(3), 2015; Tushar Chandra, Robert Griesemer, Joshua Redstone. Paxos Made Live, PODC 2007; Heidi Howard, Dahlia Malkhi, Alexander Spiegelman. Flexible Paxos, 2016.',
  options: multiPaxosOptions,
  clientPolicy: 'leader',
  bugs: {
    'skip-recovery': 'a new leader skips recovery: it puts new commands in the slots after the last one it learned, over values its phase-1 quorum reported',
    'no-adopt': 'a new leader ignores the values its phase-1 quorum reported and fills those slots with its own commands or no-ops (breaks P2c)',
    'stale-leader-commit': 'a node that believes it leads answers reads from its own state without phase 2, whether or not it holds its lease, so a deposed leader serves stale reads',
    'volatile-promise': 'acceptors keep their promised ballot in memory only, so a restarted acceptor promises ballots below one it promised before',
  },
  validate: validateOptions,
  create: (ctx, options, bug) => new MultiPaxosReplica(ctx, options, bug),
  invariants: () => multiPaxosInvariants,
  fuzzOptions(random, nodes) {
    const options: Record<string, unknown> = {};
    // Now and then a fast failure detector, so that leaders change inside the fuzzer's short faults too.
    if (random() < 0.3) Object.assign(options, { heartbeatInterval: '20ms', leaseDuration: '50ms', electionTimeout: ['150ms', '300ms'], retryTimeout: '50ms' });
    // Now and then Flexible Paxos: small phase-2 quorums, a large phase-1 quorum (4 + 2 > 5).
    if (nodes === 5 && random() < 0.3) Object.assign(options, { phase1Quorum: 4, phase2Quorum: 2 });
    // Now and then lease reads (the fuzzer's drift rates stay within the default clock bound).
    if (random() < 0.3) options.leaseReads = true;
    return options;
  },
  formatMessage(msg) {
    switch (msg.type) {
      case 'prepare':
        return `prepare b=${formatBallot(msg.ballot)} from=${msg.from}`;
      case 'promise':
        return `promise b=${formatBallot(msg.ballot)}${msg.accepted.length > 0 ? ` accepted=${msg.accepted.map((p) => `${p.slot}:(${formatBallot(p.ballot)}, ${valueKey(p.value)})`).join(' ')}` : ''}`;
      case 'accept':
        return `accept b=${formatBallot(msg.ballot)}${msg.entries.map((e) => ` ${e.slot}:${valueKey(e.value)}`).join('')} chosen=${msg.chosen}`;
      case 'accepted':
        return `accepted b=${formatBallot(msg.ballot)}${msg.slots.length > 0 ? ` slots=${msg.slots.join(',')}` : ''}`;
      case 'nack':
        return `nack b=${formatBallot(msg.ballot)} promised=${formatBallot(msg.promised)}`;
      case 'catch-up':
        return `catch-up from=${msg.from}`;
      case 'chosen-batch':
        return `chosen-batch ${msg.entries.map((e) => `${e.slot}:${valueKey(e.value)}`).join(' ')}`;
    }
  },
};
