/**
 * Every protocol folder has the same shape, and every bug variant has a
 * scenario that demonstrates it (its `expect` names the violation).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allProtocols } from '../../src/registry/index.js';
import { ROOT } from '../helpers/cli.js';

const FILES = ['index.ts', 'replica.ts', 'messages.ts', 'options.ts', 'invariants.ts', 'README.md'];

describe('protocol folders', () => {
  for (const protocol of allProtocols()) {
    const folder = join(ROOT, 'protocols', protocol.name);

    it(`${protocol.name} has the standard files`, () => {
      for (const file of FILES) expect(existsSync(join(folder, file)), `protocols/${protocol.name}/${file}`).toBe(true);
    });

    it(`${protocol.name} cites its paper and names at least one invariant`, () => {
      expect(protocol.paper.length).toBeGreaterThan(20);
      expect(protocol.invariants(protocol.options.parse({}) as never).length).toBeGreaterThan(0);
    });

    it(`${protocol.name}: every bug variant has a scenario in scenarios/${protocol.name}/ that expects its violation`, () => {
      const dir = join(ROOT, 'scenarios', protocol.name);
      const scenarios = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(join(dir, f), 'utf8')) as { bug?: string; expect?: { violation?: string; safety?: string } }) : [];
      for (const bug of Object.keys(protocol.bugs)) {
        const demo = scenarios.find((s) => s.bug === bug && (s.expect?.violation !== undefined || s.expect?.safety === 'violated'));
        expect(demo, `no scenario demonstrates ${protocol.name} --bug ${bug}`).toBeDefined();
      }
    });
  }
});
