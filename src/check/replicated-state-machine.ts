/**
 * Generic checks for every protocol, over what replicas executed and what they
 * told clients. They read `execute`, `invoke` and reply events only, so they
 * run online and over trace files alike.
 *
 * A replica's state machine is volatile: after a crash it starts empty and
 * executes its log again, so "a replica" below means one incarnation of it.
 */
import type { ExecuteEvent, SendEvent, TraceEvent } from '../api/events.js';
import type { Invariant, InvariantMonitor, World } from '../api/invariant.js';
import { isWrite, type Command, type NodeId, type Result } from '../api/types.js';

function incarnationKey(event: ExecuteEvent): string {
  return `${event.node}@${event.incarnation}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * On every replica, any two conflicting commands (same key, at least one a
 * write) execute in the same relative order. Per key, the sequence of writes
 * must be the same on every replica (each a prefix of the longest), and each
 * read must see the same number of writes before it wherever it executes.
 */
export const conflictOrder: Invariant = {
  name: 'conflict-order',
  description: 'On every replica, conflicting commands (same key, one of them a write) execute in the same relative order.',
  needs: 'events',
  create(): InvariantMonitor {
    const writes = new Map<string, { id: string; node: NodeId }[]>();
    const readPosition = new Map<string, { position: number; node: NodeId }>();
    const positions = new Map<string, Map<string, number>>();
    return {
      eventTypes: ['execute'],
      onEvent(event: TraceEvent, world: World) {
        // Reads served outside the replicated order (leases, ReadIndex) have no
        // position in it; linearizability judges them.
        if (event.type !== 'execute' || !event.applied || event.local) return;
        const replica = incarnationKey(event);
        let perKey = positions.get(replica);
        if (perKey === undefined) positions.set(replica, (perKey = new Map()));
        const { key, id } = event.command;
        const position = perKey.get(key) ?? 0;
        if (isWrite(event.command)) {
          let sequence = writes.get(key);
          if (sequence === undefined) writes.set(key, (sequence = []));
          const reference = sequence[position];
          if (reference === undefined) sequence.push({ id, node: event.node });
          else if (reference.id !== id) {
            world.violation(`${event.node} executed ${id} as the ${ordinal(position + 1)} write to key ${key}, where ${reference.node} executed ${reference.id}`, [event.node, reference.node]);
          }
          perKey.set(key, position + 1);
        } else {
          const seen = readPosition.get(id);
          if (seen === undefined) readPosition.set(id, { position, node: event.node });
          else if (seen.position !== position) {
            world.violation(`${event.node} executed read ${id} after ${position} writes to key ${key}, ${seen.node} after ${seen.position}`, [event.node, seen.node]);
          }
        }
      },
    };
  },
};

/** No command is applied twice by one replica (retries must hit the client table). */
export const exactlyOnce: Invariant = {
  name: 'exactly-once',
  description: 'No command is applied twice on a replica: retries and duplicates are answered from the client table.',
  needs: 'events',
  create(): InvariantMonitor {
    const applied = new Map<string, Set<string>>();
    return {
      eventTypes: ['execute'],
      onEvent(event: TraceEvent, world: World) {
        // A local read changes nothing and may run again on a retry.
        if (event.type !== 'execute' || !event.applied || event.local) return;
        const replica = incarnationKey(event);
        let done = applied.get(replica);
        if (done === undefined) applied.set(replica, (done = new Set()));
        if (done.has(event.command.id)) world.violation(`${event.node} applied ${event.command.id} a second time`, [event.node]);
        done.add(event.command.id);
      },
    };
  },
};

function sameCommand(a: Command, b: Command): boolean {
  return a.op === b.op && a.key === b.key && a.value === b.value && (a.expected ?? null) === (b.expected ?? null) && a.client === b.client && a.seq === b.seq;
}

/** Every executed command was requested by a client, exactly as the client wrote it. */
export const requested: Invariant = {
  name: 'requested',
  description: 'Every executed command was requested by a client, unchanged.',
  needs: 'events',
  create(): InvariantMonitor {
    const invoked = new Map<string, Command>();
    return {
      eventTypes: ['invoke', 'execute'],
      onEvent(event: TraceEvent, world: World) {
        if (event.type === 'invoke') {
          invoked.set(event.command.id, event.command);
        } else if (event.type === 'execute') {
          const original = invoked.get(event.command.id);
          if (original === undefined) world.violation(`${event.node} executed ${event.command.id}, which no client requested`, [event.node]);
          else if (!sameCommand(original, event.command)) {
            world.violation(`${event.node} executed ${event.command.id} as ${describe(event.command)}, but the client asked for ${describe(original)}`, [event.node]);
          }
        }
      },
    };
  },
};

function describe(command: Command): string {
  return `${command.op} ${command.key}${command.value !== undefined ? ` ${JSON.stringify(command.value)}` : ''}`;
}

function sameResult(a: Result, b: Result): boolean {
  return a.ok === b.ok && (a.value ?? undefined) === (b.value ?? undefined);
}

/** A reply carries the result that the replica sending it got when it executed the command. */
export const replyMatches: Invariant = {
  name: 'reply-matches',
  description: 'A reply to a client matches what the replica that sent it executed for that command.',
  needs: 'events',
  create(): InvariantMonitor {
    const results = new Map<string, Map<string, Result>>();
    return {
      eventTypes: ['execute', 'send'],
      onEvent(event: TraceEvent, world: World) {
        if (event.type === 'execute') {
          let perNode = results.get(event.node);
          if (perNode === undefined) results.set(event.node, (perNode = new Map()));
          perNode.set(event.command.id, event.result);
          return;
        }
        if (event.type !== 'send' || event.msg.type !== 'client-reply') return;
        const reply = event.msg as SendEvent['msg'] & { cmd: string; result: Result };
        const executed = results.get(event.from)?.get(reply.cmd);
        if (executed === undefined) {
          world.violation(`${event.from} replied to ${reply.cmd} without having executed it`, [event.from]);
        } else if (!sameResult(executed, reply.result)) {
          world.violation(`${event.from} replied ${JSON.stringify(reply.result)} to ${reply.cmd} but executed it with result ${JSON.stringify(executed)}`, [event.from]);
        }
      },
    };
  },
};

/** The execution checks every protocol gets (see generic.ts for the full list). */
export const replicatedStateMachineInvariants: readonly Invariant[] = [conflictOrder, exactlyOnce, requested, replyMatches];
