/** Runs the built CLI (dist/) in a separate process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [`${ROOT}bin/parliament`, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    input: options.input,
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function cliJson<T = Record<string, unknown>>(args: readonly string[]): { code: number; json: T } {
  const result = cli([...args, '--json']);
  if (result.stderr.trim() !== '' && result.code === 2) throw new Error(result.stderr);
  return { code: result.code, json: JSON.parse(result.stdout) as T };
}
