/**
 * `parliament fuzz`: thousands of generated fault schedules per protocol, on
 * every core, split across machines with --shard, each finding shrunk and
 * written out as a scenario that `parliament run` reproduces.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseDuration } from '../api/duration.js';
import { UserError } from '../errors.js';
import { generateScenario, type GenerateOptions } from '../fuzz/generate.js';
import { LIMITS } from '../scenario/limits.js';
import type { FuzzJob, SeedResult } from '../fuzz/job.js';
import { defaultWorkers, runJobs } from '../fuzz/pool.js';
import { shrinkScenario, type ShrinkResult } from '../fuzz/shrink.js';
import { getProtocol, protocolNames } from '../registry/index.js';
import { loadScenarioObject } from '../scenario/load.js';
import { parseSeedRange } from './args.js';
import { out, paint } from './output.js';
import { runOnce } from './run-command.js';

export interface FuzzFlags {
  protocol?: string;
  seeds?: string;
  time?: string;
  workers?: string;
  shard?: string;
  bug?: string;
  out?: string;
  json?: boolean;
  shrink?: boolean;
  nodes?: string;
}

const BATCH = 8;
const TIME_MODE_SEEDS = 10_000_000;

interface Finding {
  readonly result: SeedResult;
  readonly reproduce: string;
  readonly files: { scenario: string; trace: string; shrunk?: string } | null;
  readonly shrink: ShrinkResult | null;
}

function parseShard(text: string | undefined): { index: number; count: number } {
  if (text === undefined) return { index: 0, count: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new UserError(`--shard: expected I/N such as 0/4 (shard I of N, counting from 0), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) throw new UserError(`--shard: I must be between 0 and N−1, got ${index}/${count}`);
  return { index, count };
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return defaultWorkers();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 256) throw new UserError(`--workers: expected a number of workers between 1 and 256, got "${text}"`);
  return Number(text);
}

class Progress {
  private done = 0;
  private findings = 0;
  private lastLine = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly total: number | undefined,
    private readonly started: number,
    private readonly quiet: boolean,
    private readonly deadline: number | undefined,
  ) {}

  update(batch: readonly SeedResult[]): void {
    this.done += batch.length;
    this.findings += batch.filter((r) => r.status !== 'ok').length;
    if (this.quiet) return;
    const now = Date.now();
    if (!this.tty && now - this.lastLine < 5000 && this.done !== this.total) return;
    this.lastLine = now;
    const elapsed = Math.max(0.001, (now - this.started) / 1000);
    const rate = this.done / elapsed;
    const remaining = this.deadline !== undefined ? Math.max(0, (this.deadline - now) / 1000) : this.total !== undefined ? (this.total - this.done) / Math.max(rate, 1e-9) : 0;
    const eta = `ETA ${remaining < 90 ? `${Math.ceil(remaining)}s` : `${Math.ceil(remaining / 60)}m`}`;
    const count = this.total !== undefined ? `${this.done}/${this.total}` : String(this.done);
    const text = `${count} seeds, ${rate.toFixed(1)} seeds/s, ${this.findings} finding${this.findings === 1 ? '' : 's'}, ${eta}`;
    if (this.tty) {
      const width = 24;
      const fraction = this.total !== undefined ? this.done / this.total : this.deadline !== undefined ? Math.min(1, (now - this.started) / (this.deadline - this.started)) : 0;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}   `);
    } else {
      process.stderr.write(`fuzz: ${text}\n`);
    }
  }

  finish(): void {
    if (!this.quiet && this.tty) process.stderr.write('\n');
  }
}

export async function fuzzCommand(flags: FuzzFlags): Promise<number> {
  const protocols = flags.protocol === undefined || flags.protocol === 'all' ? protocolNames() : flags.protocol.split(',').map((name) => getProtocol(name.trim(), '--protocol').name);
  if (flags.bug !== undefined) {
    if (protocols.length !== 1 || flags.protocol === undefined || flags.protocol === 'all') throw new UserError('--bug needs one --protocol: a bug variant belongs to a protocol');
    const protocol = getProtocol(protocols[0] as string);
    if (!(flags.bug in protocol.bugs)) throw new UserError(`--bug: ${protocol.name} has no bug variant "${flags.bug}"; its variants: ${Object.keys(protocol.bugs).join(', ') || 'none'}`);
  }
  if (flags.seeds !== undefined && flags.time !== undefined) throw new UserError('give either --seeds or --time, not both');
  let deadlineMs: number | undefined;
  if (flags.time !== undefined) {
    const parsed = parseDuration(flags.time);
    if (typeof parsed !== 'number' || parsed <= 0) throw new UserError(`--time: ${typeof parsed === 'number' ? 'must be positive' : parsed.error}`);
    deadlineMs = parsed / 1000;
  }
  const [from, to] = flags.seeds !== undefined ? parseSeedRange(flags.seeds) : deadlineMs !== undefined ? [1, TIME_MODE_SEEDS] : [1, 100];
  const shard = parseShard(flags.shard);
  const workers = parseWorkers(flags.workers);
  const outDir = flags.out ?? 'fuzz-out';
  let generate: GenerateOptions | undefined;
  if (flags.nodes !== undefined) {
    const counts = flags.nodes.split(',').map((n) => Number(n.trim()));
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > LIMITS.nodes)) throw new UserError(`--nodes: expected cluster sizes between 1 and ${LIMITS.nodes}, such as 5 or 3,5,7; got "${flags.nodes}"`);
    generate = { nodeCounts: counts };
  }
  const seeds: number[] = [];
  for (let seed = from + shard.index; seed <= to; seed += shard.count) seeds.push(seed);
  const jobs: FuzzJob[] = [];
  for (const protocol of protocols) {
    for (let i = 0; i < seeds.length; i += BATCH) jobs.push({ protocol, seeds: seeds.slice(i, i + BATCH), ...(flags.bug !== undefined ? { bug: flags.bug } : {}), ...(generate !== undefined ? { generate } : {}) });
  }
  const started = Date.now();
  const deadline = deadlineMs !== undefined ? started + deadlineMs : undefined;
  const progress = new Progress(deadline === undefined ? seeds.length * protocols.length : undefined, started, flags.json === true, deadline);
  const results = await runJobs(jobs, workers, { onResults: (batch) => progress.update(batch), shouldStop: deadline === undefined ? undefined : () => Date.now() >= deadline });
  progress.finish();
  const wallSeconds = (Date.now() - started) / 1000;
  const findings = reportFindings(results, flags, outDir, generate ?? {});
  const counts = { ok: 0, safety: 0, liveness: 0 };
  for (const result of results) counts[result.status]++;
  const seedsRun = results.length;
  const perSecond = seedsRun / Math.max(wallSeconds, 1e-9);
  if (flags.json) {
    out(
      JSON.stringify({
        protocols,
        bug: flags.bug ?? null,
        seeds: { from, to: deadline === undefined ? to : from + seedsRun - 1, shard: `${shard.index}/${shard.count}`, run: seedsRun },
        workers,
        wallSeconds: +wallSeconds.toFixed(2),
        seedsPerSecond: +perSecond.toFixed(1),
        results: counts,
        runs: results.map((r) => ({ protocol: r.protocol, seed: r.seed, status: r.status, invariant: r.invariant, digest: r.digest })),
        findings: findings.map((f) => ({
          protocol: f.result.protocol,
          seed: f.result.seed,
          bug: f.result.bug,
          kind: f.result.status,
          invariant: f.result.invariant,
          message: f.result.message,
          reproduce: f.reproduce,
          files: f.files,
          shrink: f.shrink && { before: f.shrink.before, after: f.shrink.after, runs: f.shrink.runs },
        })),
      }),
    );
  } else {
    const shardText = shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : '';
    out(`${paint.bold('fuzz')} ${protocols.join(', ')}${flags.bug ? ` --bug ${flags.bug}` : ''}: ${seedsRun} runs (seeds ${from}..${deadline === undefined ? to : from + Math.ceil(seedsRun / protocols.length) - 1}${shardText}) in ${wallSeconds.toFixed(1)}s, ${perSecond.toFixed(1)} runs/s on ${workers} worker${workers === 1 ? '' : 's'}`);
    out(`  ${counts.ok} ok, ${counts.safety} safety violations, ${counts.liveness} stuck (liveness)`);
    for (const finding of findings) {
      const r = finding.result;
      out(paint.red(`  ✗ ${r.protocol} seed ${r.seed}${r.bug ? ` (bug ${r.bug})` : ''}: ${r.status} ${r.invariant}: ${r.message}`));
      out(`      reproduce: ${paint.bold(finding.reproduce)}`);
      if (finding.shrink && finding.files?.shrunk) {
        const { before, after } = finding.shrink;
        out(`      shrunk:    ${finding.files.shrunk} (faults ${before.faults}→${after.faults}, requests ${before.requests}→${after.requests}, nodes ${before.nodes}→${after.nodes}, events ${before.events}→${after.events})`);
      }
    }
    const hidden = counts.safety + counts.liveness - findings.length;
    if (hidden > 0) out(paint.dim(`  … and ${hidden} more findings of the same invariants (shown: the first seed of each)`));
  }
  return counts.safety + counts.liveness > 0 ? 1 : 0;
}

/** The first finding per (protocol, invariant): shrunk and written to the output directory. */
function reportFindings(results: readonly SeedResult[], flags: FuzzFlags, outDir: string, generate: GenerateOptions): Finding[] {
  const firsts = new Map<string, SeedResult>();
  for (const result of results) {
    if (result.status === 'ok') continue;
    const key = `${result.protocol}|${result.invariant}`;
    if (!firsts.has(key)) firsts.set(key, result);
  }
  const findings: Finding[] = [];
  for (const result of firsts.values()) {
    const scenario = generateScenario(getProtocol(result.protocol), result.seed, result.bug === null ? generate : { ...generate, bug: result.bug });
    if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
    const stem = join(outDir, `${result.protocol}${result.bug ? `-${result.bug}` : ''}-seed${result.seed}`);
    const files: { scenario: string; trace: string; shrunk?: string } = { scenario: `${stem}.yaml`, trace: `${stem}.trace.jsonl` };
    writeFileSync(files.scenario, toYaml(scenario, `parliament fuzz finding: ${result.status} ${result.invariant} (${result.protocol}, seed ${result.seed}). Reproduce: parliament run ${files.scenario}`));
    runOnce(loadScenarioObject(scenario, files.scenario), { trace: files.trace, overwrite: true });
    let shrink: ShrinkResult | null = null;
    if (flags.shrink !== false) {
      shrink = shrinkScenario(scenario, { kind: result.status as 'safety' | 'liveness', invariant: result.invariant as string });
      const { before, after } = shrink;
      shrink.scenario.description = `Shrunk from ${files.scenario} (seed ${result.seed}): faults ${before.faults}→${after.faults}, requests ${before.requests}→${after.requests}, nodes ${before.nodes}→${after.nodes}, events ${before.events}→${after.events}. Still fails ${result.invariant}.`;
      files.shrunk = `${stem}.shrunk.yaml`;
      writeFileSync(files.shrunk, toYaml(shrink.scenario, `Shrunk from ${files.scenario}: ${result.status} ${result.invariant}. Reproduce: parliament run ${files.shrunk}`));
    }
    findings.push({ result, reproduce: `parliament run ${files.scenario}`, files, shrink });
  }
  return findings;
}

function toYaml(scenario: Record<string, unknown>, comment: string): string {
  return `# ${comment}\n${stringify(scenario, { lineWidth: 120, flowCollectionPadding: true })}`;
}
