/**
 * Every scenario file is a regression test: `parliament run` must exit 0 on
 * each, which means its invariants and its own `expect` block hold (a bug
 * scenario expects its violation).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './helpers/cli.js';

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return entry === 'topologies' ? [] : scenarioFiles(path);
      return /\.(ya?ml|json)$/.test(entry) ? [path] : [];
    })
    .sort();
}

const files = scenarioFiles(join(ROOT, 'scenarios')).map((path) => path.slice(ROOT.length));

describe('scenario files pass their own expect through parliament run', () => {
  it('finds the scenario files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    it(file, () => {
      const result = cli(['run', file, '--json']);
      expect(result.stderr).toBe('');
      const summary = JSON.parse(result.stdout) as { outcome: string; expectations: { failures: string[] } };
      expect(summary.expectations.failures).toEqual([]);
      expect(result.code).toBe(0);
    });
  }
});
