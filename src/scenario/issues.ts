/**
 * Turns zod issues into one-line, path-qualified messages, with a did-you-mean
 * for unknown fields and file:line:column where the source allows.
 */
import type { z } from 'zod';
import { didYouMean } from '../errors.js';

export type Path = readonly (string | number)[];

/** Finds where a path lives in the source file: `line:column`, or undefined. */
export type Locator = (path: Path, key?: string) => string | undefined;

export function formatPath(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text === '' ? '(top level)' : text;
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  items?: z.ZodType[];
}

function def(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/** The field names an object schema at `path` accepts (for did-you-mean). */
export function fieldsAt(schema: z.ZodType, path: Path): string[] {
  const candidates = schemasAt(schema, path);
  const names = new Set<string>();
  for (const candidate of candidates) {
    const d = def(unwrap(candidate));
    if (d.type === 'object' && d.shape) for (const key of Object.keys(d.shape)) names.add(key);
  }
  return [...names];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const d = def(current);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable') && d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in) current = d.in;
    else break;
  }
  return current;
}

function schemasAt(schema: z.ZodType, path: Path): z.ZodType[] {
  let current: z.ZodType[] = [schema];
  for (const part of path) {
    const next: z.ZodType[] = [];
    for (const candidate of current) {
      const d = def(unwrap(candidate));
      if (d.type === 'object' && d.shape && typeof part === 'string' && d.shape[part]) next.push(d.shape[part]);
      else if (d.type === 'array' && d.element && typeof part === 'number') next.push(d.element);
      else if (d.type === 'tuple' && d.items && typeof part === 'number' && d.items[part]) next.push(d.items[part]);
      else if (d.type === 'record' && d.valueType) next.push(d.valueType);
      else if (d.type === 'union' && d.options) {
        for (const option of d.options) next.push(...schemasAt(option, [part]));
      }
    }
    current = next;
  }
  return current;
}

const EXPECTED_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  tuple: 'a two-item list [low, high]',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  record: 'a mapping',
};

export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input);
}

export interface FormattedIssue {
  readonly path: Path;
  /** The unknown key, for locating it precisely. */
  readonly key?: string;
  readonly message: string;
}

/** One message per issue; unknown keys become one message each. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, prefix: Path = []): FormattedIssue[] {
  const result: FormattedIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      const valid = fieldsAt(schema, issue.path as (string | number)[]);
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, valid);
        const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
        result.push({ path: [...path, key], key, message: `unknown field "${key}"${hint}; valid fields here: ${valid.join(', ')}` });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /^Invalid input/.test(message)) {
      const received = /received (\w+)/.exec(message)?.[1];
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      message = received === 'undefined' ? `required: expected ${expected}` : `expected ${expected}${received ? `, got ${received === 'object' ? 'a mapping' : received === 'array' ? 'a list' : `a ${received}`}` : ''}`;
    } else if (issue.code === 'invalid_value' && /^Invalid/.test(message)) {
      message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (issue.code === 'invalid_union' && /^Invalid input/.test(message)) {
      message = `unexpected value ${describeInput((issue as { input?: unknown }).input)}`;
    }
    result.push({ path, message });
  }
  return result;
}
