/**
 * A tiny test protocol for kernel tests: every node ticks every 10ms of its
 * local clock, pings the next node, counts ticks on stable storage, and
 * executes client commands locally. Not consensus; a probe.
 */
import { z } from 'zod';
import type { Command, Context, ProtocolDefinition, Replica } from '../../src/api/index.js';

type TickerMessage = { readonly type: 'ping'; readonly tick: number } | { readonly type: 'pong'; readonly tick: number };

class Ticker implements Replica<TickerMessage> {
  private ticks = 0;
  constructor(private readonly ctx: Context<TickerMessage>) {}

  start(): void {
    this.ticks = this.ctx.storage.get<number>('ticks') ?? 0;
    this.ctx.observe({ kind: 'boot', ticks: this.ticks });
    this.ctx.setTimer('tick', 10_000);
  }

  timeout(name: string): void {
    if (name !== 'tick') return;
    this.ticks++;
    this.ctx.storage.set('ticks', this.ticks);
    this.ctx.observe({ kind: 'tick', local: this.ctx.now(), ticks: this.ticks });
    const nodes = this.ctx.nodes;
    const next = nodes[(nodes.indexOf(this.ctx.id) + 1) % nodes.length] as string;
    if (next !== this.ctx.id) this.ctx.send(next, { type: 'ping', tick: this.ticks });
    this.ctx.setTimer('tick', 10_000);
  }

  receive(from: string, msg: TickerMessage): void {
    if (msg.type === 'ping') this.ctx.send(from, { type: 'pong', tick: msg.tick });
  }

  request(command: Command): void {
    this.ctx.reply(command, this.ctx.execute(command));
  }

  inspect(): unknown {
    return { ticks: this.ticks };
  }
}

export const ticker: ProtocolDefinition<TickerMessage, Record<string, never>> = {
  name: 'ticker',
  title: 'test probe',
  paper: 'none',
  options: z.strictObject({}),
  clientPolicy: 'nearest',
  bugs: {},
  create: (ctx) => new Ticker(ctx),
  invariants: () => [],
};
