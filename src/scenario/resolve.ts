/**
 * From a parsed scenario object to a `RunSpec`: schema validation, the
 * protocol and its options, and every check that needs more than one field
 * (node names, overlapping partitions, faults after the end of the run, …).
 * Every problem becomes a path-qualified `UserError`.
 */
import { z } from 'zod';
import type { ClientPolicy } from '../api/protocol.js';
import { formatDuration } from '../api/duration.js';
import type { Micros, NodeId, Op } from '../api/types.js';
import { didYouMean, UserError } from '../errors.js';
import type { LatencySpec } from '../net/latency.js';
import type { LinkOverride, SiteLayout } from '../net/network.js';
import { findProtocol, getProtocol, protocolNames, type AnyProtocol } from '../registry/index.js';
import type { Expectations, FaultAction, FaultSpec, RunSpec, Target } from '../run/spec.js';
import type { KeyChoice } from '../workload/keys.js';
import type { ClientSpec, ScriptedOp } from '../workload/client.js';
import { TARGET_KEYWORDS } from './fields.js';
import { formatIssues, formatPath, type FormattedIssue, type Locator, type Path } from './issues.js';
import { FAULT_ACTIONS, scenarioSchema, type FaultParsed, type ScenarioParsed } from './schema.js';

/** A named WAN layout (scenarios/topologies/NAME.yaml), already parsed. */
export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly sites: readonly string[];
  readonly rtt: Readonly<Record<string, Readonly<Record<string, Micros>>>>;
  readonly jitter?: LatencySpec;
}

export interface ResolveContext {
  /** Shown before every message: the file name. */
  readonly source: string;
  readonly locate?: Locator;
  readonly loadTopology?: (name: string) => Topology;
  /** Top-level fields that came from command-line flags (`bug` → `--bug`): errors name the flag, not the file. */
  readonly flags?: Readonly<Record<string, string>>;
}

export interface Overrides {
  readonly seed?: number;
  readonly protocol?: string;
  readonly bug?: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

const DEFAULT_LATENCY: LatencySpec = { kind: 'constant', value: 1_000 };
const ZERO: LatencySpec = { kind: 'constant', value: 0 };
const DEFAULT_MAX_EVENTS = 50_000_000;

class Problems {
  readonly list: FormattedIssue[] = [];
  add(path: Path, message: string, key?: string): void {
    this.list.push(key === undefined ? { path, message } : { path, message, key });
  }
}

function raise(context: ResolveContext, issues: readonly FormattedIssue[]): never {
  const lines = issues.slice(0, 8).map((issue) => {
    const flag = context.flags?.[String(issue.path[0])];
    if (flag !== undefined) return `${flag}${issue.path.length > 1 ? ` ${formatPath(issue.path.slice(1))}` : ''}: ${issue.message}`;
    const where = context.locate?.(issue.path, issue.key);
    return `${context.source}${where ? `:${where}` : ''}: ${formatPath(issue.path)}: ${issue.message}`;
  });
  if (issues.length > 8) lines.push(`… and ${issues.length - 8} more problems`);
  throw new UserError(lines[0] as string, lines.slice(1));
}

/** The flag behind each overridden top-level field, for error messages. */
export function overrideFlags(overrides: Overrides): Record<string, string> {
  const flags: Record<string, string> = {};
  if (overrides.seed !== undefined) flags.seed = '--seed';
  if (overrides.protocol !== undefined) flags.protocol = '--protocol';
  if (overrides.bug !== undefined && overrides.bug !== 'none') flags.bug = '--bug';
  if (overrides.options !== undefined) flags.options = '--option';
  return flags;
}

/** Applies command-line overrides to the raw scenario object (the form kept in trace headers). */
export function applyOverrides(raw: unknown, overrides: Overrides): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const result: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (overrides.seed !== undefined) result.seed = overrides.seed;
  if (overrides.protocol !== undefined && overrides.protocol !== result.protocol) {
    result.protocol = overrides.protocol;
    // Options and bug variants belong to a protocol; they do not carry over to another.
    delete result.options;
    delete result.bug;
  }
  if (overrides.options !== undefined) result.options = { ...((result.options as object) ?? {}), ...overrides.options };
  if (overrides.bug === 'none') delete result.bug;
  else if (overrides.bug !== undefined) result.bug = overrides.bug;
  return result;
}

export function resolveScenario(raw: unknown, context: ResolveContext): RunSpec {
  if (raw === null || raw === undefined) raise(context, [{ path: [], message: 'the scenario is empty; it needs at least protocol, cluster and run' }]);
  if (typeof raw !== 'object' || Array.isArray(raw)) raise(context, [{ path: [], message: `expected a mapping of fields (protocol, cluster, run, …), got ${Array.isArray(raw) ? 'a list' : typeof raw}` }]);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) raise(context, formatIssues(parsed.error.issues, scenarioSchema));
  const scenario = parsed.data;
  const protocol = resolveProtocol(scenario, context);
  const problems = new Problems();
  const nodes = Array.from({ length: scenario.cluster.nodes }, (_, i) => `n${i + 1}`);
  const checkNode = (node: string, path: Path) => {
    if (nodes.includes(node)) return true;
    const suggestion = didYouMean(node, nodes);
    problems.add(path, `unknown node "${node}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; this cluster has ${describeNodes(nodes)}`);
    return false;
  };
  if (protocol.minNodes !== undefined && nodes.length < protocol.minNodes) {
    problems.add(['cluster', 'nodes'], `${protocol.name} needs at least ${protocol.minNodes} nodes, got ${nodes.length}`);
  }
  const options = resolveOptions(protocol, scenario, nodes.length, context);
  const bug = scenario.bug;
  const clocks = resolveClocks(scenario, checkNode);
  const network = resolveNetwork(scenario, nodes, checkNode, problems, context);
  const clients = resolveClients(scenario, nodes, network.sites, protocol.clientPolicy, checkNode, problems);
  const until = scenario.run.until;
  const faults = resolveFaults(scenario, nodes, until, checkNode, problems);
  const expect = resolveExpect(scenario);
  (scenario.expect?.completedDuring ?? []).forEach((window, index) => {
    if (window.to <= window.from) problems.add(['expect', 'completedDuring', index, 'to'], `the window ends (${formatDuration(window.to)}) before it starts (${formatDuration(window.from)})`);
  });
  if (scenario.expect?.safety === 'hold' && scenario.expect.violation !== undefined) problems.add(['expect', 'safety'], `safety: hold contradicts violation: ${scenario.expect.violation}`);
  for (const [index, name] of (scenario.compare?.protocols ?? []).entries()) {
    if (findProtocol(name) === undefined) {
      const suggestion = didYouMean(name, protocolNames());
      problems.add(['compare', 'protocols', index], `unknown protocol "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; valid protocols: ${protocolNames().join(', ')}`);
    }
  }
  if (problems.list.length > 0) raise(context, problems.list);
  return {
    name: scenario.name ?? 'scenario',
    description: scenario.description ?? '',
    protocol: protocol.name,
    options,
    bug,
    seed: scenario.seed ?? 1,
    nodes,
    clocks,
    network,
    clients,
    faults,
    until,
    stopWhenDone: scenario.run.stopWhenDone ?? true,
    maxEvents: scenario.run.maxEvents ?? DEFAULT_MAX_EVENTS,
    expect,
  };
}

function describeNodes(nodes: readonly string[]): string {
  return nodes.length === 1 ? 'only n1' : `n1…n${nodes.length}`;
}

function resolveProtocol(scenario: ScenarioParsed, context: ResolveContext): AnyProtocol {
  try {
    const protocol = getProtocol(scenario.protocol, 'protocol');
    if (scenario.bug !== undefined && !(scenario.bug in protocol.bugs)) {
      const names = Object.keys(protocol.bugs);
      const suggestion = didYouMean(scenario.bug, names);
      raise(context, [{ path: ['bug'], message: `${protocol.name} has no bug variant "${scenario.bug}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; its variants: ${names.join(', ') || 'none'}` }]);
    }
    return protocol;
  } catch (error) {
    if (error instanceof UserError && error.message.startsWith('protocol:')) {
      raise(context, [{ path: ['protocol'], message: error.message.slice('protocol: '.length) }]);
    }
    throw error;
  }
}

function resolveOptions(protocol: AnyProtocol, scenario: ScenarioParsed, n: number, context: ResolveContext): Record<string, unknown> {
  const schema = protocol.options as z.ZodType;
  const parsed = schema.safeParse(scenario.options ?? {});
  if (!parsed.success) {
    const issues = formatIssues(parsed.error.issues, schema, ['options']).map((issue) => (issue.key !== undefined ? { ...issue, message: issue.message.replace('valid fields here', `${protocol.name} options`) } : issue));
    raise(context, issues);
  }
  const options = parsed.data as Record<string, unknown>;
  const problem = protocol.validate?.(options, n);
  if (problem !== undefined) raise(context, [{ path: ['options', problem.field], message: problem.message }]);
  return options;
}

function resolveClocks(scenario: ScenarioParsed, checkNode: (node: string, path: Path) => boolean): Record<NodeId, { skew: Micros; rate: number }> {
  const clocks: Record<NodeId, { skew: Micros; rate: number }> = {};
  for (const [node, clock] of Object.entries(scenario.cluster.clocks ?? {})) {
    if (!checkNode(node, ['cluster', 'clocks', node])) continue;
    clocks[node] = { skew: clock.skew ?? 0, rate: clock.rate ?? 1 };
  }
  return clocks;
}

function resolveNetwork(scenario: ScenarioParsed, nodes: readonly NodeId[], checkNode: (node: string, path: Path) => boolean, problems: Problems, context: ResolveContext): RunSpec['network'] {
  const network = scenario.network ?? {};
  let sites: SiteLayout | undefined;
  let rtt = network.rtt;
  let jitter = network.jitter;
  let siteNames: string[] | undefined;
  if (network.topology !== undefined) {
    if (context.loadTopology === undefined) {
      problems.add(['network', 'topology'], 'named topologies can only be used from a scenario file');
    } else {
      try {
        const topology = context.loadTopology(network.topology);
        if (rtt !== undefined) problems.add(['network', 'rtt'], 'give either a named topology or an rtt matrix, not both');
        rtt = topology.rtt;
        jitter = jitter ?? topology.jitter;
        siteNames = [...topology.sites];
      } catch (error) {
        if (error instanceof UserError) problems.add(['network', 'topology'], error.message);
        else throw error;
      }
    }
  }
  const declaredSites = scenario.cluster.sites;
  if (declaredSites !== undefined || siteNames !== undefined) {
    const siteOf: Record<NodeId, string> = {};
    if (declaredSites !== undefined) {
      for (const [site, members] of Object.entries(declaredSites)) {
        if (siteNames !== undefined && !siteNames.includes(site)) {
          problems.add(['cluster', 'sites', site], `site "${site}" is not in topology ${network.topology}; its sites: ${siteNames.join(', ')}`);
        }
        members.forEach((node, index) => {
          if (!checkNode(node, ['cluster', 'sites', site, index])) return;
          if (siteOf[node] !== undefined) problems.add(['cluster', 'sites', site, index], `${node} is already at site ${siteOf[node]}; a node lives at one site`);
          siteOf[node] = site;
        });
      }
      const homeless = nodes.filter((node) => siteOf[node] === undefined);
      if (homeless.length > 0) problems.add(['cluster', 'sites'], `${homeless.join(', ')} ${homeless.length === 1 ? 'has' : 'have'} no site; with sites, every node needs one`);
    } else if (siteNames !== undefined) {
      // Spread nodes over the topology's sites in order: n1 at the first site, n2 at the second, …
      nodes.forEach((node, index) => (siteOf[node] = siteNames[index % siteNames.length] as string));
    }
    const used = [...new Set(Object.values(siteOf))];
    const matrix: Record<string, Record<string, Micros>> = {};
    for (const a of used) matrix[a] = {};
    for (const a of used) {
      for (const b of used) {
        if (a === b) continue;
        const value = rtt?.[a]?.[b] ?? rtt?.[b]?.[a];
        if (value === undefined) {
          if (a < b) problems.add(['network', 'rtt'], `no round-trip time between sites ${a} and ${b}`);
          continue;
        }
        (matrix[a] as Record<string, Micros>)[b] = value;
      }
    }
    sites = { siteOf, rtt: matrix, jitter: jitter ?? ZERO };
  } else if (rtt !== undefined) {
    problems.add(['network', 'rtt'], 'an rtt matrix needs cluster.sites (which node is at which site)');
  }
  const links: LinkOverride[] = (network.links ?? []).map((link, index) => {
    const from = typeof link.from === 'string' ? [link.from] : link.from;
    const to = typeof link.to === 'string' ? [link.to] : link.to;
    from.forEach((node, i) => checkNode(node, ['network', 'links', index, 'from', ...(typeof link.from === 'string' ? [] : [i])]));
    to.forEach((node, i) => checkNode(node, ['network', 'links', index, 'to', ...(typeof link.to === 'string' ? [] : [i])]));
    const override: { -readonly [K in keyof LinkOverride]: LinkOverride[K] } = { from, to };
    if (link.latency !== undefined) override.latency = link.latency;
    if (link.drop !== undefined) override.dropProbability = link.drop;
    if (link.duplicate !== undefined) override.duplicateProbability = link.duplicate;
    if (link.fifo !== undefined) override.fifo = link.fifo;
    return override;
  });
  const result: { -readonly [K in keyof RunSpec['network']]: RunSpec['network'][K] } = {
    latency: network.latency ?? DEFAULT_LATENCY,
    clientLatency: network.clientLatency ?? ZERO,
    dropProbability: network.drop ?? 0,
    duplicateProbability: network.duplicate ?? 0,
    fifo: network.fifo ?? false,
    links,
  };
  if (sites !== undefined) result.sites = sites;
  return result;
}

function resolveClients(
  scenario: ScenarioParsed,
  nodes: readonly NodeId[],
  sites: SiteLayout | undefined,
  policy: ClientPolicy,
  checkNode: (node: string, path: Path) => boolean,
  problems: Problems,
): ClientSpec[] {
  const workload = scenario.workload ?? {};
  const clientCount = workload.clients ?? 0;
  const requests = workload.requests ?? (clientCount > 0 ? 100 : 0);
  if (requests > 0 && clientCount === 0) problems.add(['workload', 'clients'], `${requests} requests need at least one client`);
  const mixInput = workload.mix ?? { get: 0.5, put: 0.5 };
  const mix: Record<Op, number> = { get: mixInput.get ?? 0, put: mixInput.put ?? 0, cas: mixInput.cas ?? 0, append: mixInput.append ?? 0 };
  if (mix.get + mix.put + mix.cas + mix.append <= 0) problems.add(['workload', 'mix'], 'at least one operation needs a positive weight');
  const keyCount = workload.keys ?? 10;
  let keys: KeyChoice = { kind: 'uniform', keys: keyCount };
  if (workload.conflictRate !== undefined && workload.skew !== undefined) problems.add(['workload', 'conflictRate'], 'use either skew (Zipf) or conflictRate, not both');
  else if (workload.conflictRate !== undefined) keys = { kind: 'conflict', keys: keyCount, rate: workload.conflictRate };
  else if (workload.skew !== undefined && workload.skew > 0) keys = { kind: 'zipf', keys: keyCount, exponent: workload.skew };
  const atLeader = workload.placement?.includes('leader') ?? false;
  if (atLeader && workload.placement?.length !== 1) problems.add(['workload', 'placement'], 'leader places every client next to the leader; it cannot be mixed with other places');
  const homes = atLeader ? [...nodes] : resolvePlacement(workload.placement, nodes, sites, checkNode, problems);
  const base = {
    policy,
    nodes,
    mix,
    keys,
    thinkTime: workload.thinkTime ?? ZERO,
    timeout: workload.timeout ?? 1_000_000,
    maxAttempts: workload.maxAttempts ?? 0,
    startAt: workload.start ?? 0,
  };
  const clients: ClientSpec[] = [];
  for (let i = 0; i < clientCount; i++) {
    const operations = Math.floor(requests / clientCount) + (i < requests % clientCount ? 1 : 0);
    clients.push({ ...base, id: `c${i + 1}`, home: atLeader ? (nodes[0] as NodeId) : (homes[i % homes.length] as NodeId), operations, script: [], ...(atLeader ? { placeAtLeader: true } : {}) });
  }
  const scripts = new Map<string, { ops: ScriptedOp[]; home: NodeId | undefined }>();
  (workload.script ?? []).forEach((entry, index) => {
    const path = ['workload', 'script', index];
    if (/^c\d+$/.test(entry.client) && Number(entry.client.slice(1)) <= clientCount) {
      problems.add([...path, 'client'], `"${entry.client}" is also the name of a generated client; name scripted clients differently (e.g. bob, alice)`);
    }
    if (entry.node !== undefined) checkNode(entry.node, [...path, 'node']);
    if (entry.op === 'cas' && entry.expected === undefined) problems.add([...path, 'expected'], 'a cas needs expected: the value the key must hold (null for absent)');
    if ((entry.op === 'put' || entry.op === 'cas' || entry.op === 'append') && entry.value === undefined) problems.add([...path, 'value'], `a ${entry.op} needs a value`);
    if (entry.op !== 'cas' && entry.expected !== undefined) problems.add([...path, 'expected'], 'expected only applies to cas');
    const script = scripts.get(entry.client) ?? { ops: [], home: entry.node };
    const op: { -readonly [K in keyof ScriptedOp]: ScriptedOp[K] } = { at: entry.at, op: entry.op, key: entry.key };
    if (entry.value !== undefined) op.value = entry.value;
    if (entry.expected !== undefined) op.expected = entry.expected;
    if (entry.node !== undefined) op.node = entry.node;
    script.ops.push(op);
    scripts.set(entry.client, script);
  });
  for (const [id, script] of scripts) {
    const ops = [...script.ops].sort((a, b) => a.at - b.at);
    clients.push({ ...base, id, home: script.home ?? (homes[0] as NodeId), operations: 0, script: ops });
  }
  return clients;
}

function resolvePlacement(placement: readonly string[] | undefined, nodes: readonly NodeId[], sites: SiteLayout | undefined, checkNode: (node: string, path: Path) => boolean, problems: Problems): NodeId[] {
  if (placement === undefined) return [...nodes];
  const homes: NodeId[] = [];
  placement.forEach((place, index) => {
    if (nodes.includes(place)) {
      homes.push(place);
      return;
    }
    const atSite = sites ? nodes.filter((node) => sites.siteOf[node] === place) : [];
    if (atSite.length > 0) {
      homes.push(atSite[0] as NodeId);
      return;
    }
    if (sites) problems.add(['workload', 'placement', index], `"${place}" is neither a node nor a site of this cluster`);
    else checkNode(place, ['workload', 'placement', index]);
  });
  return homes.length > 0 ? homes : [...nodes];
}

function resolveTarget(value: string | readonly string[], path: Path, checkNode: (node: string, path: Path) => boolean): Target {
  if (typeof value === 'string') {
    if ((TARGET_KEYWORDS as readonly string[]).includes(value)) return { kind: value as Exclude<Target['kind'], 'nodes'> };
    if (/^n\d+$/.test(value)) {
      checkNode(value, path);
      return { kind: 'nodes', nodes: [value] };
    }
    checkNode(value, path);
    return { kind: 'nodes', nodes: [value] };
  }
  value.forEach((node, index) => checkNode(node, [...path, index]));
  return { kind: 'nodes', nodes: [...value] };
}

function resolveFaults(scenario: ScenarioParsed, nodes: readonly NodeId[], until: Micros, checkNode: (node: string, path: Path) => boolean, problems: Problems): FaultSpec[] {
  const faults: FaultSpec[] = [];
  const partitionWindows: { start: Micros; end: Micros; index: number }[] = [];
  (scenario.faults ?? []).forEach((fault, index) => {
    const path: Path = ['faults', index];
    const actions = FAULT_ACTIONS.filter((action) => fault[action] !== undefined);
    if (actions.length !== 1) {
      problems.add(path, actions.length === 0 ? `a fault needs one action: ${FAULT_ACTIONS.join(', ')}` : `one action per fault, found ${actions.join(' and ')}`);
      return;
    }
    const kind = actions[0] as (typeof FAULT_ACTIONS)[number];
    const action = resolveAction(kind, fault, path, nodes, checkNode, problems);
    const count = fault.count ?? 1;
    const every = fault.every ?? 0;
    if (count > 1 && every <= 0) problems.add([...path, 'every'], `count ${count} needs a positive every: the time between repetitions`);
    if (fault.at > until) problems.add([...path, 'at'], `${formatDuration(fault.at)} is after run.until (${formatDuration(until)}); the fault would never fire`);
    if (fault.rate !== undefined && kind !== 'drift') problems.add([...path, 'rate'], 'rate only applies to drift');
    if (fault.for !== undefined && (kind === 'restart' || kind === 'resume' || kind === 'heal')) problems.add([...path, 'for'], `${kind} cannot be undone; for applies to crash, wipe, pause, partition, cut and drift`);
    if (action === undefined) return;
    if (kind === 'partition') {
      for (let i = 0; i < count; i++) {
        const start = fault.at + i * every;
        const end = fault.for !== undefined ? start + (fault.within ?? 0) + fault.for : Number.POSITIVE_INFINITY;
        const clash = partitionWindows.find((window) => start < window.end && window.start < end + (fault.within ?? 0));
        if (clash !== undefined && clash.index !== index) {
          problems.add([...path, 'partition'], `this partition (from ${formatDuration(start)}) overlaps the one of faults[${clash.index}], still in place then; heal first or give the earlier one a shorter for`);
          break;
        }
        partitionWindows.push({ start, end, index });
      }
    } else if (kind === 'heal') {
      for (const window of partitionWindows) if (window.end === Number.POSITIVE_INFINITY && window.start <= fault.at) window.end = fault.at;
    }
    faults.push({ at: fault.at, within: fault.within ?? 0, every, count, duration: fault.for, action, label: `faults[${index}]` });
  });
  return faults;
}

function resolveAction(kind: (typeof FAULT_ACTIONS)[number], fault: FaultParsed, path: Path, nodes: readonly NodeId[], checkNode: (node: string, path: Path) => boolean, problems: Problems): FaultAction | undefined {
  switch (kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'wipe':
      return { kind, target: resolveTarget(fault[kind] as string | string[], [...path, kind], checkNode) };
    case 'drift':
      if (fault.rate === undefined) {
        problems.add([...path, 'rate'], 'drift needs a rate: the clock speed, e.g. 1.05 for five percent fast');
        return undefined;
      }
      return { kind, target: resolveTarget(fault.drift as string | string[], [...path, 'drift'], checkNode), rate: fault.rate };
    case 'heal':
      return { kind: 'heal' };
    case 'cut': {
      const cut = fault.cut as { from: string | string[]; to: string | string[] };
      return { kind: 'cut', from: resolveTarget(cut.from, [...path, 'cut', 'from'], checkNode), to: resolveTarget(cut.to, [...path, 'cut', 'to'], checkNode) };
    }
    case 'partition': {
      const value = fault.partition as string | string[] | string[][];
      if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
        const groups = value as string[][];
        const seen = new Map<string, number>();
        groups.forEach((group, g) =>
          group.forEach((node, i) => {
            if (!checkNode(node, [...path, 'partition', g, i])) return;
            const earlier = seen.get(node);
            if (earlier !== undefined) problems.add([...path, 'partition', g, i], `${node} is in two groups (${earlier} and ${g}); partition groups cannot overlap`);
            seen.set(node, g);
          }),
        );
        if (groups.length === 1 && groups[0]?.length === nodes.length) problems.add([...path, 'partition'], 'a single group holding every node partitions nothing');
        return { kind: 'partition', groups };
      }
      return { kind: 'isolate', target: resolveTarget(value as string | string[], [...path, 'partition'], checkNode) };
    }
  }
}

function resolveExpect(scenario: ScenarioParsed): Expectations {
  const expect = scenario.expect ?? {};
  const result: { -readonly [K in keyof Expectations]: Expectations[K] } = {
    safety: expect.violation !== undefined ? 'violated' : (expect.safety ?? 'hold'),
  };
  if (expect.violation !== undefined) result.violation = expect.violation;
  if (expect.completed !== undefined) result.completed = expect.completed;
  if (expect.latency !== undefined) result.latency = expect.latency;
  if (expect.results !== undefined) result.results = expect.results.map((r) => ({ ...r, nth: r.nth ?? 1 }));
  if (expect.completedDuring !== undefined) result.completedDuring = expect.completedDuring;
  return result;
}
