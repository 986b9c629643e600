/**
 * Durations in scenario files and protocol options are strings with a unit
 * (`150ms`, `2s`, `1.5s`, `250us`, `1m`); inside the simulator they are integer
 * microseconds. A bare number is refused: `150` could mean anything.
 */
import type { Micros } from './types.js';

const UNIT_MICROS: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, min: 60_000_000, h: 3_600_000_000 };

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min|h)\s*$/;

/** Parses `150ms` into 150000; returns an error message instead for anything else. */
export function parseDuration(text: unknown): Micros | { error: string } {
  if (typeof text === 'number') {
    return { error: `a duration needs a unit, e.g. "${text}ms" or "${text}s"` };
  }
  if (typeof text !== 'string') return { error: 'expected a duration such as "150ms" or "2s"' };
  if (/^\s*-/.test(text)) return { error: `a duration cannot be negative ("${text}")` };
  const match = DURATION.exec(text);
  if (!match) return { error: `"${text}" is not a duration; write a number and a unit: us, ms, s, m or h (e.g. "150ms")` };
  const micros = Math.round(Number(match[1]) * (UNIT_MICROS[match[2] as string] as number));
  if (!Number.isSafeInteger(micros)) return { error: `"${text}" is too long a duration` };
  return micros;
}

/** Formats microseconds back into the shortest exact duration string (`150ms`, `2s`, `1500us`). */
export function formatDuration(micros: Micros): string {
  if (micros !== 0 && micros % 1_000_000 === 0) return `${micros / 1_000_000}s`;
  if (micros % 1_000 === 0) return `${micros / 1_000}ms`;
  return `${micros}us`;
}


/** The message for a value that is not a valid duration. */
export function durationError(input: unknown): string {
  if (input === undefined) return 'required: a duration such as "150ms"';
  const parsed = parseDuration(input);
  return typeof parsed === 'number' ? 'expected a duration such as "150ms"' : parsed.error;
}
