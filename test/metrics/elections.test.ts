import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/api/events.js';
import { ElectionTracker } from '../../src/metrics/elections.js';

const ms = (t: number) => t * 1000;
const observe = (t: number, node: string, kind: string, term: number): TraceEvent => ({ t: ms(t), type: 'observe', node, event: { kind, term } });

function track(events: TraceEvent[], end = 10_000) {
  const tracker = new ElectionTracker(5);
  for (const event of events) tracker.onEvent(event);
  return tracker.summary(ms(end));
}

describe('election metrics', () => {
  it('reports the first election apart, then each leader loss until a new leader', () => {
    const summary = track([observe(150, 'n1', 'candidate', 1), observe(160, 'n1', 'leader', 1), { t: ms(1000), type: 'crash', node: 'n1' }, observe(1200, 'n2', 'candidate', 2), observe(1210, 'n2', 'leader', 2)]);
    expect(summary.firstLeaderMs).toBe(160);
    expect(summary.timeToLeaderMs).toEqual([210]);
    expect(summary.unavailableMs).toBe(370);
    expect(summary.count).toBe(2);
    expect(summary.splitVotes).toBe(0);
  });

  it('does not count a node campaigning alone behind a partition while the majority keeps its leader', () => {
    const summary = track([observe(100, 'n1', 'leader', 1), observe(2000, 'n5', 'candidate', 2), observe(2300, 'n5', 'candidate', 3)]);
    expect(summary.timeToLeaderMs).toEqual([]);
    expect(summary.splitVotes).toBe(2);
  });

  it('counts a partition that leaves the leader in a minority as a loss', () => {
    const summary = track([observe(100, 'n1', 'leader', 1), { t: ms(1000), type: 'partition', groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] }, observe(1300, 'n3', 'leader', 2)]);
    expect(summary.timeToLeaderMs).toEqual([300]);
  });

  it('dates an unannounced replacement from the first campaign above the old term', () => {
    const summary = track([observe(100, 'n1', 'leader', 1), observe(900, 'n2', 'candidate', 2), observe(950, 'n3', 'candidate', 2), observe(1100, 'n3', 'candidate', 3), observe(1120, 'n3', 'leader', 3)]);
    expect(summary.timeToLeaderMs).toEqual([220]);
    expect(summary.splitVotes).toBe(1);
  });
});
