/** The determinism lint catches real time, real randomness, timers and I/O in the simulated layers, and lets the CLI use them. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const eslint = new ESLint({ cwd: ROOT });

async function rules(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse');
}

describe('determinism lint', () => {
  const planted: [string, string][] = [
    ['Math.random', 'export const x = Math.random();'],
    ['Date.now', 'export const x = Date.now();'],
    ['new Date()', 'export const x = new Date();'],
    ['performance.now', 'export const x = performance.now();'],
    ['setTimeout', 'setTimeout(() => undefined, 1);'],
    ['setInterval', 'export const x = setInterval(() => undefined, 1);'],
    ['destructured random', 'const { random } = Math;\nexport const x = random();'],
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['crypto', "import { randomUUID } from 'node:crypto';\nexport const x = randomUUID;"],
  ];
  for (const [what, code] of planted) {
    it(`refuses ${what} in protocols/ and src/sim/`, async () => {
      expect((await rules(code, 'protocols/raft/planted.ts')).length).toBeGreaterThan(0);
      expect((await rules(code, 'src/sim/planted.ts')).length).toBeGreaterThan(0);
    });
  }

  it('keeps protocols to the protocol API', async () => {
    expect(await rules("import { Simulation } from '../../src/run/simulation.js';\nexport const x = Simulation;", 'protocols/raft/planted.ts')).toContain('no-restricted-imports');
    expect(await rules("import { majority } from '../../src/api/index.js';\nexport const x = majority;", 'protocols/raft/planted.ts')).toEqual([]);
  });

  it('allows real time in the command line, which is not simulated', async () => {
    expect(await rules('export const x = Date.now();', 'src/cli/planted.ts')).toEqual([]);
  });
});
