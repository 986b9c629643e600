import { describe, expect, it } from 'vitest';
import { Network, type NetworkConfig } from '../../src/net/network.js';
import { createRng } from '../../src/sim/rng.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

function network(overrides: Partial<NetworkConfig> = {}, seed = 'net'): Network {
  return new Network(
    {
      nodes,
      latency: { kind: 'constant', value: 1000 },
      clientLatency: { kind: 'constant', value: 0 },
      dropProbability: 0,
      duplicateProbability: 0,
      fifo: false,
      links: [],
      ...overrides,
    },
    createRng(seed),
  );
}

describe('Network', () => {
  it('delivers once after the link latency', () => {
    expect(network().transmit('n1', 'n2', 0)).toEqual({ delays: [1000] });
  });

  it('partitions into groups, unnamed nodes forming one more group, and heals', () => {
    const net = network();
    net.partition([['n1', 'n2']]);
    expect(net.isBlocked('n1', 'n2')).toBe(false);
    expect(net.isBlocked('n1', 'n3')).toBe(true);
    expect(net.isBlocked('n3', 'n1')).toBe(true);
    expect(net.isBlocked('n3', 'n5')).toBe(false);
    expect(net.transmit('n2', 'n4', 0)).toEqual({ dropped: 'partition' });
    net.heal();
    expect(net.isBlocked('n1', 'n3')).toBe(false);
  });

  it('cuts one way only', () => {
    const net = network();
    net.cut(['n1'], ['n2', 'n3']);
    expect(net.isBlocked('n1', 'n2')).toBe(true);
    expect(net.isBlocked('n2', 'n1')).toBe(false);
  });

  it('puts a client on its home node’s side of a partition', () => {
    const net = network();
    net.placeClient('c1', 'n1');
    net.partition([['n1'], ['n2', 'n3', 'n4', 'n5']]);
    expect(net.isBlocked('c1', 'n1')).toBe(false);
    expect(net.isBlocked('c1', 'n2')).toBe(true);
    expect(net.transmit('c1', 'n1', 0)).toEqual({ delays: [0] });
  });

  it('drops and duplicates at the configured rates', () => {
    const net = network({ dropProbability: 0.2, duplicateProbability: 0.1 });
    let dropped = 0;
    let duplicated = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const transit = net.transmit('n1', 'n2', 0);
      if ('dropped' in transit) dropped++;
      else if (transit.delays.length === 2) duplicated++;
    }
    expect(dropped / n).toBeCloseTo(0.2, 1);
    expect(duplicated / (n - dropped)).toBeCloseTo(0.1, 1);
  });

  it('reorders by default and keeps order on a FIFO link', () => {
    const jittery = { kind: 'uniform', min: 0, max: 10_000 } as const;
    const arrivals = (fifo: boolean) => {
      const net = network({ latency: jittery, fifo });
      return Array.from({ length: 200 }, (_, i) => {
        const transit = net.transmit('n1', 'n2', i * 10);
        return 'delays' in transit ? i * 10 + (transit.delays[0] as number) : -1;
      });
    };
    const isSorted = (xs: number[]) => xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number));
    expect(isSorted(arrivals(false))).toBe(false);
    expect(isSorted(arrivals(true))).toBe(true);
  });

  it('uses half the RTT between sites plus jitter, and the site latency within one', () => {
    const net = network({
      sites: { siteOf: { n1: 'us', n2: 'us', n3: 'eu', n4: 'eu', n5: 'ap' }, rtt: { us: { eu: 80_000, ap: 150_000 }, eu: { us: 80_000, ap: 200_000 }, ap: { us: 150_000, eu: 200_000 } }, jitter: { kind: 'constant', value: 500 } },
    });
    expect(net.transmit('n1', 'n2', 0)).toEqual({ delays: [1000] });
    expect(net.transmit('n1', 'n3', 0)).toEqual({ delays: [40_500] });
    expect(net.transmit('n5', 'n4', 0)).toEqual({ delays: [100_500] });
    expect(net.medianOneWay('n1', 'n5')).toBe(75_500);
  });

  it('applies per-link overrides', () => {
    const net = network({ links: [{ from: ['n1'], to: ['n2'], latency: { kind: 'constant', value: 50_000 }, dropProbability: 1 }, { from: ['n2'], to: ['n1'], latency: { kind: 'constant', value: 7000 } }] });
    expect(net.transmit('n1', 'n2', 0)).toEqual({ dropped: 'loss' });
    expect(net.transmit('n2', 'n1', 0)).toEqual({ delays: [7000] });
    expect(net.transmit('n1', 'n3', 0)).toEqual({ delays: [1000] });
  });
});
