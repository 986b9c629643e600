/**
 * Reading scenario files (YAML, or JSON, which the YAML parser reads too) with
 * positions, so that every error can say file:line:column.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import type { RunSpec } from '../run/spec.js';
import { latency, duration } from './fields.js';
import { formatIssues, formatPath, type Locator, type Path } from './issues.js';
import { applyOverrides, overrideFlags, resolveScenario, type Overrides, type Topology } from './resolve.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `scenarios/topologies/`, found from the package root (source tree or dist/). */
export const TOPOLOGIES_DIR = [join(here, '..', '..', 'scenarios', 'topologies'), join(here, '..', '..', '..', 'scenarios', 'topologies')];

export interface LoadedScenario {
  readonly path: string;
  /** The scenario object as written, with overrides applied: what a trace header keeps. */
  readonly source: unknown;
  readonly spec: RunSpec;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(error));
    throw new UserError(`${path}: cannot read the ${what} (${reason})`);
  }
}

/** Parses YAML or JSON text; syntax errors become UserErrors with file:line:column. */
export function parseSource(text: string, path: string): { value: unknown; locate: Locator } {
  if (path.endsWith('.json')) checkStrictJson(text, path);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const position = lineCounter.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.message;
    throw new UserError(`${path}:${position.line}:${position.col}: invalid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${message}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new UserError(`${path}: cannot read the document: ${(error as Error).message}`);
  }
  return { value, locate: makeLocator(doc, lineCounter) };
}

/** JSON files are held to JSON's own grammar (the YAML parser would forgive a trailing comma). */
function checkStrictJson(text: string, path: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const offset = Number(at[1]);
      const before = text.slice(0, offset).split('\n');
      where = `:${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
    }
    throw new UserError(`${path}${where}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`);
  }
}

function makeLocator(doc: Document, lineCounter: LineCounter): Locator {
  return (path: Path, key?: string) => {
    let node: unknown;
    if (key !== undefined) {
      const parent = path.slice(0, -1);
      const map = parent.length === 0 ? doc.contents : doc.getIn(parent, true);
      if (isMap(map)) {
        const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
        node = pair?.key;
      }
    }
    for (let depth = path.length; node === undefined && depth >= 0; depth--) {
      const candidate = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (candidate !== undefined && candidate !== null && typeof candidate === 'object' && 'range' in candidate) node = candidate;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (!range) return undefined;
    const position = lineCounter.linePos(range[0]);
    return `${position.line}:${position.col}`;
  };
}

const topologySchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  sites: z.array(z.string().min(1)).min(2),
  rtt: z.record(z.string(), z.record(z.string(), duration())),
  jitter: latency().optional(),
});

/** Loads scenarios/topologies/NAME.yaml. */
export function loadTopology(name: string): Topology {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UserError(`"${name}" is not a topology name (lowercase letters, digits and dashes)`);
  const path = TOPOLOGIES_DIR.map((dir) => join(dir, `${name}.yaml`)).find((candidate) => {
    try {
      readFileSync(candidate);
      return true;
    } catch {
      return false;
    }
  });
  if (path === undefined) throw new UserError(`unknown topology "${name}"; the named topologies are the files in scenarios/topologies/`);
  const { value, locate } = parseSource(readText(path, 'topology'), path);
  const parsed = topologySchema.safeParse(value);
  if (!parsed.success) {
    const issue = formatIssues(parsed.error.issues, topologySchema)[0]!;
    throw new UserError(`${path}${locate(issue.path, issue.key) ? `:${locate(issue.path, issue.key)}` : ''}: ${formatPath(issue.path)}: ${issue.message}`);
  }
  const topology = parsed.data;
  for (const [a, row] of Object.entries(topology.rtt)) {
    for (const b of [a, ...Object.keys(row)]) {
      if (!topology.sites.includes(b)) throw new UserError(`${path}: rtt names site "${b}", which is not in sites`);
    }
  }
  const result: { -readonly [K in keyof Topology]: Topology[K] } = { name, description: topology.description ?? '', sites: topology.sites, rtt: topology.rtt };
  if (topology.jitter !== undefined) result.jitter = topology.jitter;
  return result;
}

/** Reads, validates and resolves a scenario file. */
export function loadScenarioFile(path: string, overrides: Overrides = {}): LoadedScenario {
  const text = readText(path, 'scenario');
  if (text.trim() === '') throw new UserError(`${path}: the file is empty; a scenario needs at least protocol, cluster and run`);
  const { value, locate } = parseSource(text, path);
  const source = applyOverrides(value, overrides);
  if (typeof source === 'object' && source !== null && !Array.isArray(source) && (source as { name?: unknown }).name === undefined) {
    (source as Record<string, unknown>).name = basename(path).replace(/\.(ya?ml|json)$/, '');
  }
  const spec = resolveScenario(source, { source: path, locate, loadTopology, flags: overrideFlags(overrides) });
  return { path, source, spec };
}

/** Resolves a scenario object that did not come from a file (trace headers, the fuzzer). */
export function loadScenarioObject(source: unknown, label: string): LoadedScenario {
  return { path: label, source, spec: resolveScenario(source, { source: label, loadTopology }) };
}
