/** Parsing and checking command-line values; every problem is a UserError (exit 2). */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

export function parseSeed(text: string, flag = '--seed'): number {
  if (!/^\d+$/.test(text)) throw new UserError(`${flag}: expected a whole number ≥ 0, got "${text}"`);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new UserError(`${flag}: ${text} is too large`);
  return seed;
}

export const MAX_SEEDS_PER_COMMAND = 1_000_000;

/** `A..B` (inclusive) → [A, B]. */
export function parseSeedRange(text: string, flag = '--seeds'): [number, number] {
  const match = /^(\d+)\.\.(\d+)$/.exec(text);
  if (!match) throw new UserError(`${flag}: expected a range A..B such as 1..100, got "${text}"`);
  const from = parseSeed(match[1] as string, flag);
  const to = parseSeed(match[2] as string, flag);
  if (to < from) throw new UserError(`${flag}: the range ${text} is empty (B must be ≥ A)`);
  if (to - from + 1 > MAX_SEEDS_PER_COMMAND) throw new UserError(`${flag}: ${to - from + 1} seeds is beyond the limit of ${MAX_SEEDS_PER_COMMAND.toLocaleString('en-US')} per command; split the range`);
  return [from, to];
}

/** `key=value` protocol option overrides; values parse as JSON when they can (numbers, booleans, lists). */
export function parseOptionPairs(pairs: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`--option: expected key=value, got "${pair}"`);
    const key = pair.slice(0, at);
    const raw = pair.slice(at + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    options[key] = value;
  }
  return options;
}

/**
 * Refuses to overwrite a file the user wrote: an existing output file may be
 * replaced only when it looks like an earlier output of ours (its start holds `marker`).
 */
export function checkOutputTarget(path: string, flag: string, marker: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (stat.isDirectory()) throw new UserError(`${flag} ${path}: is a directory`);
  if (stat.size === 0) return;
  const buffer = Buffer.alloc(200);
  const fd = openSync(path, 'r');
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  if (!buffer.subarray(0, read).toString('utf8').includes(marker)) {
    throw new UserError(`${flag} ${path}: the file exists and is not ${flag === '--trace' ? 'a parliament trace' : 'a parliament history'}; refusing to overwrite it`);
  }
}
