/** zod helpers for protocol options: durations with units, duration ranges, probabilities. */
import { z } from 'zod';
import { durationError, parseDuration } from './duration.js';
import type { Micros } from './types.js';

/** A duration option written `150ms`; parsed to integer microseconds. */
export function durationOption(defaultValue: string, description: string) {
  return durationSchema().prefault(defaultValue).describe(`${description} (default ${defaultValue})`);
}

/** A duration written with its unit, parsed to µs. */
export function durationSchema(): z.ZodPipe<z.ZodString, z.ZodTransform<Micros, string>> {
  return z.string({ error: (issue) => durationError(issue.input) }).transform((text, ctx) => {
    const parsed = parseDuration(text);
    if (typeof parsed === 'number') return parsed;
    ctx.issues.push({ code: 'custom', message: parsed.error, input: text });
    return z.NEVER;
  });
}

/** A `[min, max]` duration range, e.g. an election timeout `[150ms, 300ms]`. */
export function durationRangeSchema() {
  return z
    .tuple([durationSchema(), durationSchema()])
    .refine(([low, high]) => low <= high, { message: 'the range must be written [low, high] with low ≤ high' });
}

/** A `[min, max]` duration range option with a default such as `['150ms', '300ms']`. */
export function durationRangeOption(defaultValue: readonly [string, string], description: string) {
  return durationRangeSchema()
    .prefault([defaultValue[0], defaultValue[1]])
    .describe(`${description} (default [${defaultValue.join(', ')}])`);
}
