/**
 * `npm run bug-hunt`: for every bug variant of every protocol, how many fuzz
 * seeds until the first finding, which invariant caught it, and how much
 * shrinking took away. The longer companion of test/fuzz/bugs.test.ts.
 */
import { generateScenario } from '../src/fuzz/generate.js';
import { runSeed } from '../src/fuzz/job.js';
import { shrinkScenario } from '../src/fuzz/shrink.js';
import { allProtocols } from '../src/registry/index.js';

const limit = Number(process.argv[2] ?? 5000);
const line = (text = '') => process.stdout.write(text + '\n');

line(`# Bug hunt: seeds until the fuzzer's first finding (at most ${limit}), and shrinking`);
line();
line('| protocol | bug | first finding at seed | findings in the first 500 seeds | caught by | faults | requests | nodes | events | shrink runs |');
line('|---|---|---:|---:|---|---|---|---|---|---:|');
for (const protocol of allProtocols()) {
  for (const bug of Object.keys(protocol.bugs)) {
    let first: ReturnType<typeof runSeed> | undefined;
    let inFirst500 = 0;
    for (let seed = 1; seed <= Math.max(limit, 500); seed++) {
      if (first !== undefined && seed > 500) break;
      const result = runSeed(protocol.name, seed, bug);
      if (result.status === 'safety') {
        if (seed <= 500) inFirst500++;
        first ??= result;
      }
      if (seed >= limit && first === undefined) break;
    }
    if (first === undefined) {
      line(`| ${protocol.name} | ${bug} | not found | 0 | | | | | | |`);
      continue;
    }
    const shrunk = shrinkScenario(generateScenario(protocol, first.seed, { bug }), { kind: 'safety', invariant: first.invariant as string });
    const { before, after } = shrunk;
    line(
      `| ${protocol.name} | ${bug} | ${first.seed} | ${inFirst500} | ${first.invariant} | ${before.faults} → ${after.faults} | ${before.requests} → ${after.requests} | ${before.nodes} → ${after.nodes} | ${before.events} → ${after.events} | ${shrunk.runs} |`,
    );
  }
}
