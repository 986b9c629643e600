/** The fuzz worker: runs batches of seeds in a worker thread (loaded from dist/ by tinypool). */
import { runJob, type FuzzJob, type SeedResult } from './job.js';

export default function work(job: FuzzJob): SeedResult[] {
  return runJob(job);
}
