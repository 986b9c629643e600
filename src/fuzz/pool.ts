/**
 * Runs fuzz jobs on every core. One worker runs jobs in this thread; more use
 * a tinypool of worker threads started from the built `dist/` (Node 20 worker
 * threads cannot load TypeScript). Results come back in seed order whatever
 * the number of workers.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Tinypool } from 'tinypool';
import { runJob, type FuzzJob, type SeedResult } from './job.js';

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The built worker module next to this one, if this is running from dist/. */
function workerFile(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) {
    const built = here.replace(/\/src\/fuzz\/pool\.ts$/, '/dist/src/fuzz/worker.js');
    return existsSync(built) ? built : undefined;
  }
  return here.replace(/pool\.js$/, 'worker.js');
}

export interface PoolRun {
  /** Called as each job finishes (in completion order). */
  readonly onResults?: (results: readonly SeedResult[]) => void;
  /** Stop handing out new jobs when this returns true (time budget). */
  readonly shouldStop?: () => boolean;
}

/** Workers that stay up between batches of jobs (so a benchmark can warm them up first). */
export class FuzzPool {
  private readonly pool: Tinypool | undefined;

  constructor(readonly workers: number) {
    const file = workers > 1 ? workerFile() : undefined;
    this.pool = file === undefined ? undefined : new Tinypool({ filename: file, minThreads: workers, maxThreads: workers, isolateWorkers: false });
  }

  async run(jobs: readonly FuzzJob[], hooks: PoolRun = {}): Promise<SeedResult[]> {
    const results: SeedResult[] = [];
    const pool = this.pool;
    if (pool === undefined) {
      for (const job of jobs) {
        if (hooks.shouldStop?.()) break;
        const batch = runJob(job);
        results.push(...batch);
        hooks.onResults?.(batch);
        // Let the event loop breathe so progress output and signals get through.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } else {
      let next = 0;
      const lane = async () => {
        while (next < jobs.length && !hooks.shouldStop?.()) {
          const job = jobs[next++] as FuzzJob;
          const batch = (await pool.run(job)) as SeedResult[];
          results.push(...batch);
          hooks.onResults?.(batch);
        }
      };
      await Promise.all(Array.from({ length: this.workers }, lane));
    }
    return results.sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.seed - b.seed));
  }

  async destroy(): Promise<void> {
    await this.pool?.destroy();
  }
}

export async function runJobs(jobs: readonly FuzzJob[], workers: number, hooks: PoolRun = {}): Promise<SeedResult[]> {
  const pool = new FuzzPool(workers);
  try {
    return await pool.run(jobs, hooks);
  } finally {
    await pool.destroy();
  }
}
