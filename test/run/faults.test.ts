import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/api/events.js';
import { Simulation } from '../../src/run/simulation.js';
import type { TraceSink } from '../../src/trace/jsonl.js';
import { ofType, spec } from '../helpers/scenario.js';
import { ticker } from '../helpers/ticker-protocol.js';

function runTicker(faults: unknown[], extra: Record<string, unknown> = {}) {
  const events: TraceEvent[] = [];
  const sink: TraceSink = { event: (event) => events.push(event) };
  const scenario = spec({ protocol: 'paxos', cluster: { nodes: 3 }, network: { latency: '1ms' }, faults, run: { until: '200ms' }, ...extra });
  const simulation = new Simulation(scenario, ticker as never, { sinks: [sink] });
  const result = simulation.run();
  return { events, result, simulation };
}

const at = (ms: number) => ms * 1000;
const onNode = (events: TraceEvent[], node: string) => events.filter((e) => ('node' in e && e.node === node) || (e.type === 'deliver' && e.to === node));

describe('faults, each observed in the trace with its effect', () => {
  it('crash: volatile state and timers are gone, messages to the node are dropped as down; restart boots from storage', () => {
    const { events } = runTicker([{ at: '50ms', crash: 'n2' }, { at: '100ms', restart: 'n2' }]);
    expect(ofType(events, 'crash')).toEqual([{ t: at(50), type: 'crash', node: 'n2' }]);
    expect(ofType(events, 'restart')).toEqual([{ t: at(100), type: 'restart', node: 'n2' }]);
    const whileDown = onNode(events, 'n2').filter((e) => e.t > at(50) && e.t < at(100));
    expect(whileDown.filter((e) => e.type === 'timer' || e.type === 'deliver')).toEqual([]);
    expect(ofType(events, 'drop').some((d) => d.to === 'n2' && d.reason === 'down')).toBe(true);
    const boots = ofType(events, 'observe').filter((o) => o.node === 'n2' && o.event.kind === 'boot');
    expect(boots.map((b) => b.event.ticks)).toEqual([0, 4]);
  });

  it('wipe: stable storage is lost too', () => {
    const { events } = runTicker([{ at: '50ms', wipe: 'n2' }, { at: '100ms', restart: 'n2' }]);
    expect(ofType(events, 'wipe').map((e) => e.node)).toEqual(['n2']);
    const boots = ofType(events, 'observe').filter((o) => o.node === 'n2' && o.event.kind === 'boot');
    expect(boots.map((b) => b.event.ticks)).toEqual([0, 0]);
  });

  it('pause: nothing is processed; at resume the waiting messages and timers all fire, late', () => {
    const { events } = runTicker([{ at: '45ms', pause: 'n3', for: '40ms' }]);
    expect(ofType(events, 'pause')).toEqual([{ t: at(45), type: 'pause', node: 'n3' }]);
    expect(ofType(events, 'resume')).toEqual([{ t: at(85), type: 'resume', node: 'n3' }]);
    const handled = onNode(events, 'n3').filter((e) => (e.type === 'timer' || e.type === 'deliver') && e.t > at(45) && e.t < at(85));
    expect(handled).toEqual([]);
    const atResume = onNode(events, 'n3').filter((e) => e.t === at(85));
    expect(atResume.some((e) => e.type === 'deliver')).toBe(true);
    const lateTimer = ofType(events, 'timer').find((e) => e.node === 'n3' && e.t === at(85));
    expect(lateTimer?.late).toBe(at(35));
    expect(ofType(events, 'drop').filter((d) => d.to === 'n3')).toEqual([]);
  });

  it('partition and heal: messages across groups are lost while it lasts', () => {
    const { events } = runTicker([{ at: '50ms', partition: [['n1'], ['n2', 'n3']] }, { at: '100ms', heal: 'all' }]);
    expect(ofType(events, 'partition')).toEqual([{ t: at(50), type: 'partition', groups: [['n1'], ['n2', 'n3']] }]);
    expect(ofType(events, 'heal')).toEqual([{ t: at(100), type: 'heal' }]);
    const partitionDrops = ofType(events, 'drop').filter((d) => d.reason === 'partition');
    expect(partitionDrops.length).toBeGreaterThan(0);
    for (const drop of partitionDrops) {
      expect(drop.t).toBeGreaterThanOrEqual(at(50));
      expect(drop.t).toBeLessThan(at(100));
      expect(drop.from === 'n1' || drop.to === 'n1').toBe(true);
    }
  });

  it('isolate a target: the leader-free keyword forms still resolve (minority)', () => {
    const { events } = runTicker([{ at: '50ms', partition: 'minority', for: '20ms' }]);
    const partition = ofType(events, 'partition')[0];
    expect(partition?.groups.length).toBe(2);
    expect(partition?.groups[0]?.length).toBe(1);
    expect(ofType(events, 'heal')[0]?.t).toBe(at(70));
  });

  it('cut: one direction only', () => {
    const { events } = runTicker([{ at: '0ms', cut: { from: 'n1', to: 'n2' } }]);
    expect(ofType(events, 'cut')).toEqual([{ t: 0, type: 'cut', from: ['n1'], to: ['n2'] }]);
    const drops = ofType(events, 'drop');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((d) => d.from === 'n1' && d.to === 'n2')).toBe(true);
    expect(ofType(events, 'deliver').some((d) => d.from === 'n2' && d.to === 'n1')).toBe(false);
    expect(ofType(events, 'deliver').some((d) => d.from === 'n3' && d.to === 'n1')).toBe(true);
  });

  it('drift: a fast clock fires its timers early in global time', () => {
    const { events } = runTicker([{ at: '50ms', drift: 'n1', rate: 2 }]);
    expect(ofType(events, 'drift')).toEqual([{ t: at(50), type: 'drift', node: 'n1', rate: 2 }]);
    const ticks = ofType(events, 'timer').filter((e) => e.node === 'n1').map((e) => e.t / 1000);
    expect(ticks.slice(0, 7)).toEqual([10, 20, 30, 40, 50, 55, 60]);
  });

  it('clock skew and rate from the cluster section drive ctx.now()', () => {
    const { events } = runTicker([], { cluster: { nodes: 3, clocks: { n2: { skew: '1s', rate: 0.5 } } } });
    const first = ofType(events, 'observe').find((o) => o.node === 'n2' && o.event.kind === 'tick');
    expect(first?.t).toBe(at(20));
    expect(first?.event.local).toBe(1_000_000 + 10_000);
  });

  it('leader, random and all targets resolve when the fault fires, and a fault with no target is recorded as skipped', () => {
    const { events } = runTicker([{ at: '10ms', crash: 'leader' }, { at: '20ms', crash: 'random' }, { at: '30ms', restart: 'all' }]);
    expect(ofType(events, 'fault-skipped')[0]?.why).toBe('no node claims to lead');
    expect(ofType(events, 'crash')).toHaveLength(1);
    expect(ofType(events, 'restart')).toHaveLength(1);
  });

  it('repeats a fault with every/count, each inside its within window', () => {
    const { events } = runTicker([{ at: '20ms', every: '50ms', count: 3, within: '5ms', pause: 'n1', for: '10ms' }]);
    const pauses = ofType(events, 'pause').map((e) => e.t / 1000);
    expect(pauses).toHaveLength(3);
    pauses.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(20 + 50 * i);
      expect(t).toBeLessThanOrEqual(25 + 50 * i);
    });
  });
});
