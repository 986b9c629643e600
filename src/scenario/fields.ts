/**
 * zod building blocks for scenario fields whose errors must read well:
 * durations with units, probabilities, latency distributions and fault
 * targets. Each parses by hand where a plain zod union would only say
 * "Invalid input", and registers a documentation schema for `parliament schema`.
 */
import { z } from 'zod';
import { durationError, parseDuration } from '../api/duration.js';
import type { LatencySpec } from '../net/latency.js';

/** Schemas whose JSON Schema is described by another (documentation) schema. */
export const documentedAs = new Map<z.ZodType, z.ZodType>();

const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(us|µs|ms|s|m|min|h)\\s*$';


/** A duration such as `150ms` → µs. */
export function duration() {
  return z
    .string({ error: (issue) => durationError(issue.input) })
    .regex(new RegExp(DURATION_PATTERN), { error: (issue) => durationError(issue.input) })
    .transform((text) => parseDuration(text) as number)
    .describe('a duration with a unit: us, ms, s, m or h (e.g. "150ms", "2s")');
}

/** A probability in [0, 1]. */
export function probability() {
  return z
    .number({ error: (issue) => (issue.input === undefined ? 'required: a probability between 0 and 1' : `expected a probability between 0 and 1, got ${JSON.stringify(issue.input)}`) })
    .min(0, { error: (issue) => `a probability must be between 0 and 1, got ${String(issue.input)}` })
    .max(1, { error: (issue) => `a probability must be between 0 and 1, got ${String(issue.input)}` });
}

/** An integer within bounds, with the bound named in the message. */
export function count(min: number, max: number, what: string) {
  return z
    .number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected a whole number for ${what}, got ${JSON.stringify(issue.input)}`) })
    .int({ error: `expected a whole number (${what})` })
    .min(min, { error: (issue) => `${what} must be at least ${min}, got ${String(issue.input)}` })
    .max(max, { error: (issue) => `${what} beyond the sane limit of ${max.toLocaleString('en-US')} (got ${Number(issue.input).toLocaleString('en-US')}); refusing rather than attempting it` });
}

const LATENCY_KINDS = ['constant', 'uniform', 'normal', 'lognormal', 'pareto'] as const;

const latencyDoc = z.union([
  duration(),
  z.strictObject({ constant: duration() }),
  z.strictObject({ uniform: z.tuple([duration(), duration()]) }),
  z.strictObject({ normal: z.strictObject({ mean: duration(), stddev: duration() }) }),
  z.strictObject({ lognormal: z.strictObject({ median: duration(), sigma: z.number().positive() }) }),
  z.strictObject({ pareto: z.strictObject({ scale: duration(), shape: z.number().positive() }) }),
]);

type IssueSink = { addIssue(issue: { code: 'custom'; message: string; path?: (string | number)[] }): void };

function parseLatency(input: unknown, ctx: IssueSink): LatencySpec | undefined {
  const fail = (message: string, path: (string | number)[] = []) => {
    ctx.addIssue({ code: 'custom', message, path });
    return undefined;
  };
  const micros = (value: unknown, path: (string | number)[]) => {
    const parsed = parseDuration(value);
    if (typeof parsed === 'number') return parsed;
    fail(parsed.error, path);
    return undefined;
  };
  const positive = (value: unknown, path: (string | number)[], name: string) => {
    if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return value;
    fail(`${name} must be a positive number`, path);
    return undefined;
  };
  if (typeof input === 'string' || typeof input === 'number') {
    const value = micros(input, []);
    return value === undefined ? undefined : { kind: 'constant', value };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail(`expected a latency: a duration ("10ms") or one of { ${LATENCY_KINDS.join(' | ')} }`);
  }
  const keys = Object.keys(input);
  const kind = keys[0];
  if (keys.length !== 1 || !(LATENCY_KINDS as readonly string[]).includes(kind as string)) {
    const unknown = keys.find((key) => !(LATENCY_KINDS as readonly string[]).includes(key));
    return fail(`a latency has exactly one of ${LATENCY_KINDS.join(', ')}${unknown !== undefined ? ` (unknown: "${unknown}")` : ''}`, unknown !== undefined ? [unknown] : []);
  }
  const body = (input as Record<string, unknown>)[kind as string];
  const fields = (names: string[]) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      fail(`expected { ${names.join(', ')} }`, [kind as string]);
      return undefined;
    }
    const extra = Object.keys(body).find((key) => !names.includes(key));
    if (extra !== undefined) {
      fail(`unknown field "${extra}"; ${kind} takes ${names.join(' and ')}`, [kind as string, extra]);
      return undefined;
    }
    return body as Record<string, unknown>;
  };
  switch (kind) {
    case 'constant': {
      const value = micros(body, ['constant']);
      return value === undefined ? undefined : { kind: 'constant', value };
    }
    case 'uniform': {
      if (!Array.isArray(body) || body.length !== 2) return fail('expected [min, max], e.g. [5ms, 15ms]', ['uniform']);
      const min = micros(body[0], ['uniform', 0]);
      const max = micros(body[1], ['uniform', 1]);
      if (min === undefined || max === undefined) return undefined;
      if (min > max) return fail('uniform [min, max] needs min ≤ max', ['uniform']);
      return { kind: 'uniform', min, max };
    }
    case 'normal': {
      const f = fields(['mean', 'stddev']);
      if (!f) return undefined;
      const mean = micros(f.mean, ['normal', 'mean']);
      const stddev = micros(f.stddev, ['normal', 'stddev']);
      return mean === undefined || stddev === undefined ? undefined : { kind: 'normal', mean, stddev };
    }
    case 'lognormal': {
      const f = fields(['median', 'sigma']);
      if (!f) return undefined;
      const median = micros(f.median, ['lognormal', 'median']);
      const sigma = positive(f.sigma, ['lognormal', 'sigma'], 'sigma');
      return median === undefined || sigma === undefined ? undefined : { kind: 'lognormal', median, sigma };
    }
    case 'pareto': {
      const f = fields(['scale', 'shape']);
      if (!f) return undefined;
      const scale = micros(f.scale, ['pareto', 'scale']);
      const shape = positive(f.shape, ['pareto', 'shape'], 'shape');
      return scale === undefined || shape === undefined ? undefined : { kind: 'pareto', scale, shape };
    }
  }
  return undefined;
}

/** A latency distribution: `10ms`, `{ uniform: [5ms, 15ms] }`, `{ normal: { mean, stddev } }`, … */
export function latency() {
  const schema = z.any().transform((input, ctx) => parseLatency(input, ctx) ?? z.NEVER);
  documentedAs.set(schema, latencyDoc.describe('a one-way latency: a duration, or a distribution (each truncated at zero)'));
  return schema as unknown as z.ZodType<LatencySpec, unknown>;
}

export const TARGET_KEYWORDS = ['leader', 'followers', 'random', 'minority', 'majority', 'all'] as const;

/** A fault target: a node id, a keyword, or a list of node ids. */
export function target() {
  return z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: `expected a node id, a list of node ids, or one of ${TARGET_KEYWORDS.join(', ')}`,
  });
}
