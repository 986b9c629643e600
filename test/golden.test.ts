/**
 * Golden traces: canonical runs pretty-printed and checked in, so that a
 * change in protocol behaviour shows up as a readable diff. Regenerate with
 * `npm run golden` after a deliberate change, and read the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../src/api/protocol.js';
import { simulateCollecting } from '../src/harness/simulate.js';
import { getProtocol } from '../src/registry/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { formatEvents } from '../src/trace/pretty.js';
import { ROOT } from './helpers/cli.js';

const REWRITE = process.env.UPDATE_GOLDEN === '1';

export const GOLDEN_RUNS: readonly string[] = ['scenarios/paxos/lock.yaml', 'scenarios/paxos/lock-node-failure.yaml'];

function render(file: string): string {
  const { spec } = loadScenarioFile(join(ROOT, file));
  const { events, result } = simulateCollecting(spec);
  const protocol = getProtocol(spec.protocol);
  const lines = formatEvents(events, { formatMessage: protocol.formatMessage as (m: Message) => string });
  return [`# ${file} (seed ${spec.seed}); regenerate with npm run golden`, ...lines, `# digest ${result.digest}`, ''].join('\n');
}

describe('golden traces', () => {
  for (const file of GOLDEN_RUNS) {
    it(file, () => {
      const golden = join(ROOT, 'test', 'golden', file.replace(/^scenarios\//, '').replace(/\//g, '-').replace(/\.ya?ml$/, '.txt'));
      const actual = render(file);
      if (REWRITE || !existsSync(golden)) {
        writeFileSync(golden, actual);
        if (!REWRITE) throw new Error(`wrote missing golden file ${golden}; check it in`);
      }
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
