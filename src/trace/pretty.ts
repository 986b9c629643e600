/**
 * One readable line per event, for terminals and golden files:
 *   `   20.000ms  n1→n2  prepare b=1.n1 slot=1`
 * Protocols may supply their own message formatter; the default prints the
 * message type and its fields as key=value.
 */
import type { TraceEvent } from '../api/events.js';
import type { Message } from '../api/protocol.js';
import type { Result } from '../api/types.js';

export type MessageFormatter = (msg: Message) => string;

/** `type k=v k=v`, with nested data as compact JSON. */
export function defaultFormatMessage(msg: Message): string {
  const parts = [msg.type];
  for (const [key, value] of Object.entries(msg)) {
    if (key === 'type' || value === undefined) continue;
    parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isBallot(value)) return `${value.round}.${value.node}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

function isBallot(value: unknown): value is { round: number; node: string } {
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as { round?: unknown }).round === 'number' && typeof (value as { node?: unknown }).node === 'string';
}

export function formatResult(result: Result): string {
  const value = result.value === undefined ? '' : ` ${result.value === null ? 'null' : JSON.stringify(result.value)}`;
  return `${result.ok ? 'ok' : 'failed'}${value}`;
}

function clientMessage(msg: Message): string | undefined {
  const m = msg as Message & { command?: { id: string; op: string; key: string; value?: string; expected?: string | null }; cmd?: string; result?: Result; leader?: string };
  switch (msg.type) {
    case 'client-request': {
      const c = m.command;
      if (!c) return undefined;
      const args = [c.key, c.expected !== undefined ? `${JSON.stringify(c.expected)}→${JSON.stringify(c.value)}` : c.value !== undefined ? JSON.stringify(c.value) : undefined].filter((x) => x !== undefined);
      return `request ${c.id} ${c.op} ${args.join(' ')}`;
    }
    case 'client-reply':
      return `reply ${m.cmd ?? ''} ${m.result ? formatResult(m.result) : ''}`;
    case 'client-redirect':
      return `redirect ${m.cmd ?? ''}${m.leader ? ` to ${m.leader}` : ''}`;
    default:
      return undefined;
  }
}

export function formatTime(micros: number): string {
  return `${(micros / 1000).toFixed(3)}ms`.padStart(12);
}

export interface PrettyOptions {
  readonly formatMessage?: MessageFormatter;
  /** Show deliveries too (off by default: the receiver's actions already show them). */
  readonly deliveries?: boolean;
}

/** Renders one event, or undefined for events the options hide. */
export function formatEvent(event: TraceEvent, options: PrettyOptions = {}, messages?: Map<number, Message>): string | undefined {
  const formatMessage = options.formatMessage ?? defaultFormatMessage;
  const at = formatTime(event.t);
  const line = (who: string, what: string) => `${at}  ${who.padEnd(10)} ${what}`;
  switch (event.type) {
    case 'send': {
      messages?.set(event.id, event.msg);
      return line(`${event.from}→${event.to}`, clientMessage(event.msg) ?? formatMessage(event.msg));
    }
    case 'deliver': {
      if (!options.deliveries) return undefined;
      const msg = messages?.get(event.id);
      return line(`${event.to}⇐${event.from}`, msg ? (clientMessage(msg) ?? formatMessage(msg)) : `#${event.id}`);
    }
    case 'drop': {
      const msg = messages?.get(event.id);
      const what = msg ? (clientMessage(msg) ?? formatMessage(msg)) : `#${event.id}`;
      return line(`${event.from}→${event.to}`, `✗ dropped (${event.reason}): ${what}`);
    }
    case 'duplicate':
      return line(`${event.from}→${event.to}`, `duplicated #${event.id}`);
    case 'timer':
      return line(event.node, `timer ${event.name}${event.late ? ` (late by ${event.late / 1000}ms)` : ''}`);
    case 'persist':
      return line(event.node, `persist ${event.key}`);
    case 'observe': {
      const { kind, ...rest } = event.event;
      const fields = Object.entries(rest)
        .map(([key, value]) => `${key}=${formatValue(value)}`)
        .join(' ');
      return line(event.node, `· ${kind}${fields ? ' ' + fields : ''}`);
    }
    case 'execute':
      return line(event.node, `execute ${event.command.id} ${event.command.op} ${event.command.key} → ${formatResult(event.result)}${event.applied ? '' : ' (not applied: retry or stale)'}${event.local ? ' (local read)' : ''}`);
    case 'invoke': {
      const c = event.command;
      const args = c.op === 'cas' ? `${JSON.stringify(c.expected ?? null)}→${JSON.stringify(c.value)}` : c.value !== undefined ? JSON.stringify(c.value) : '';
      return line(event.client, `invoke ${c.id} ${c.op} ${c.key} ${args}`.trimEnd());
    }
    case 'complete':
      return line(event.client, `complete ${event.cmd} ${formatResult(event.result)} (from ${event.node}, ${event.attempts} attempt${event.attempts === 1 ? '' : 's'})`);
    case 'give-up':
      return line(event.client, `gives up on ${event.cmd} after ${event.attempts} attempts`);
    case 'crash':
    case 'restart':
    case 'wipe':
    case 'pause':
    case 'resume':
      return line(event.node, `⚡ ${event.type}`);
    case 'drift':
      return line(event.node, `⚡ clock rate ${event.rate}`);
    case 'partition':
      return line('network', `⚡ partition ${event.groups.map((g) => `[${g.join(' ')}]`).join(' | ')}`);
    case 'cut':
      return line('network', `⚡ cut ${event.from.join(',')} → ${event.to.join(',')}`);
    case 'heal':
      return line('network', '⚡ heal');
    case 'fault-skipped':
      return line('nemesis', `skipped ${event.fault}: ${event.why}`);
    case 'violation':
      return line(event.nodes.join(',') || 'checker', `VIOLATION ${event.invariant}: ${event.message}`);
  }
}

/** Renders a whole event list. */
export function formatEvents(events: readonly TraceEvent[], options: PrettyOptions = {}): string[] {
  const messages = new Map<number, Message>();
  const lines: string[] = [];
  for (const event of events) {
    const text = formatEvent(event, options, messages);
    if (text !== undefined) lines.push(text);
  }
  return lines;
}
