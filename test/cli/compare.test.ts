import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'parliament-compare-'));

interface CompareJson {
  rttMs: number;
  results: { protocol: string; completed: number; latencyMs: { p50: number; mean: number }; latencyRtt: { p50: number; mean: number }; messagesPerRequest: number; perClient: { client: string; site: string; latencyMs: { p50: number; mean: number } }[]; violations: unknown[] }[];
  roundTripClaims: { protocol: string; expected: number; measured: number; holds: boolean }[];
}

function compare(file: string, extra: string[] = []) {
  const svg = join(dir, `${file.replace(/\W/g, '_')}.svg`);
  const result = cli(['compare', file, '--json', '--svg', svg, ...extra]);
  return { code: result.code, json: JSON.parse(result.stdout) as CompareJson, svg };
}

describe('parliament compare', () => {
  it('measures the textbook round trips on a failure-free, jitter-free LAN, within 5%', () => {
    const { code, json, svg } = compare('scenarios/compare/lan-textbook.yaml');
    expect(code).toBe(0);
    expect(json.rttMs).toBe(20);
    const textbook: Record<string, number> = { paxos: 2, 'multi-paxos': 1, raft: 1 };
    for (const result of json.results) {
      expect(result.completed).toBe(50);
      const expected = textbook[result.protocol] as number;
      expect(Math.abs(result.latencyRtt.mean - expected) / expected).toBeLessThanOrEqual(0.05);
      expect(result.violations).toEqual([]);
    }
    expect(json.roundTripClaims.every((claim) => claim.holds)).toBe(true);
    const drawing = readFileSync(svg, 'utf8');
    expect(drawing).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const protocol of ['paxos', 'multi-paxos', 'raft']) expect(drawing).toContain(`${protocol} (50 requests)`);
  });

  it('shows that a client away from the leader pays its hop there and back', () => {
    const { json } = compare('scenarios/compare/lan-client-hop.yaml');
    for (const protocol of ['multi-paxos', 'raft']) {
      const result = json.results.find((r) => r.protocol === protocol)!;
      const means = result.perClient.map((c) => c.latencyMs.mean).sort((a, b) => a - b);
      expect(means[0]).toBe(20); // the client next to the leader: 1 round trip
      expect(means.slice(1).every((m) => m === 40)).toBe(true); // the others: + 1 round trip of hops
    }
  });

  it('on a WAN, the client at the leader’s site waits least and the others pay their distance to it', () => {
    const { json, svg } = compare('scenarios/compare/wan-three-continents.yaml');
    const raft = json.results.find((r) => r.protocol === 'raft')!;
    const bySite = new Map(raft.perClient.map((c) => [c.site, c.latencyMs.mean]));
    const fastest = [...bySite.entries()].sort((a, b) => a[1] - b[1])[0]!;
    // one round trip from the leader to its nearest peer (three sites: a majority is two)
    expect(fastest[1]).toBeGreaterThan(150);
    expect(fastest[1]).toBeLessThan(160);
    for (const [site, mean] of bySite) if (site !== fastest[0]) expect(mean).toBeGreaterThan(fastest[1] + 70);
    expect(readFileSync(svg, 'utf8')).toContain('mean latency by client site');
  });

  it('is the same run for every protocol apart from the protocol: same seeds, same workload', () => {
    const twice = [compare('scenarios/compare/lan-textbook.yaml', ['--seeds', '2', '--protocols', 'raft']).json, compare('scenarios/compare/lan-textbook.yaml', ['--seeds', '2', '--protocols', 'raft']).json];
    expect(twice[0]).toEqual(twice[1]);
  });

  it('refuses an unknown protocol with the list of valid ones', () => {
    const result = cli(['compare', 'scenarios/compare/lan-textbook.yaml', '--protocols', 'paxos,rafft']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown protocol "rafft" \(did you mean "raft"\?\)/);
  });
});
