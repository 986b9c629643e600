/**
 * The fuzzer finds every bug variant of every protocol within a stated number
 * of seeds, and the finding (and its shrunk form) reproduces by itself.
 * Protocols are taken from the registry, so a new protocol's bugs are covered
 * without touching this file; bench/bug-hunt.ts runs the longer version.
 */
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/fuzz/generate.js';
import { judgeScenario, runSeed } from '../../src/fuzz/job.js';
import { shrinkScenario } from '../../src/fuzz/shrink.js';
import { allProtocols } from '../../src/registry/index.js';

/** Seeds each bug must be found within: the default, or more for the rare ones, with the reason. */
const SEED_BUDGET = 300;
const RARE: Record<string, { seeds: number; why: string }> = {
  'multi-paxos/stale-leader-commit': {
    seeds: 1500,
    why: 'a deposed leader must answer a read of a key after a write to it completed on the majority side; about one generated seed in 400 lines that up',
  },
};

describe('the fuzzer finds every bug variant', () => {
  for (const protocol of allProtocols()) {
    for (const bug of Object.keys(protocol.bugs)) {
      const budget = RARE[`${protocol.name}/${bug}`]?.seeds ?? SEED_BUDGET;
      it(`${protocol.name} --bug ${bug} within ${budget} seeds, and the shrunk repro still fails`, () => {
        let found: ReturnType<typeof runSeed> | undefined;
        for (let seed = 1; seed <= budget && found === undefined; seed++) {
          const result = runSeed(protocol.name, seed, bug);
          if (result.status === 'safety') found = result;
        }
        expect(found, `no safety finding for ${protocol.name} --bug ${bug} in ${budget} seeds`).toBeDefined();
        const scenario = generateScenario(protocol, found!.seed, { bug });
        expect(judgeScenario(scenario, 'repro').invariant).toBe(found!.invariant);
        const shrunk = shrinkScenario(scenario, { kind: 'safety', invariant: found!.invariant as string }, 60);
        expect(judgeScenario(shrunk.scenario, 'shrunk').invariant).toBe(found!.invariant);
        expect(shrunk.after.events).toBeLessThanOrEqual(shrunk.before.events * 1.5);
      });
    }
  }
});
