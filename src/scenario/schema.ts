/**
 * The scenario file format, as a zod schema. Every object is strict: an
 * unknown field is an error (with a did-you-mean), never silently ignored.
 * Protocol options are checked afterwards against the chosen protocol's own
 * schema. `parliament schema` publishes this as JSON Schema.
 */
import { z } from 'zod';
import { count, duration, latency, probability, target } from './fields.js';
import { LIMITS } from './limits.js';

const nodeId = z.string().min(1);

const clockSchema = z.strictObject({
  skew: duration().optional().describe('initial offset of the local clock from true time'),
  rate: z.number().positive().max(10).optional().describe('clock speed: 1 is true time, 1.05 runs five percent fast'),
});

const clusterSchema = z.strictObject({
  nodes: count(1, LIMITS.nodes, 'the number of nodes').describe('how many replicas: n1…nN'),
  sites: z.record(z.string(), z.array(nodeId).min(1)).optional().describe('which nodes live at which site (for WAN round trips)'),
  clocks: z.record(nodeId, clockSchema).optional().describe('per-node clock skew and rate'),
});

const linkSchema = z.strictObject({
  from: z.union([nodeId, z.array(nodeId).min(1)]),
  to: z.union([nodeId, z.array(nodeId).min(1)]),
  latency: latency().optional(),
  drop: probability().optional(),
  duplicate: probability().optional(),
  fifo: z.boolean().optional(),
});

const networkSchema = z.strictObject({
  latency: latency().optional().describe('one-way node-to-node latency within a site (default 1ms)'),
  clientLatency: latency().optional().describe('one-way latency between a client and its home node (default 0)'),
  drop: probability().optional().describe('probability a message is lost'),
  duplicate: probability().optional().describe('probability a message is delivered twice'),
  fifo: z.boolean().optional().describe('deliver messages on each link in order (default false: independent delays reorder)'),
  topology: z.string().optional().describe('a named WAN layout from scenarios/topologies/'),
  rtt: z.record(z.string(), z.record(z.string(), duration())).optional().describe('round-trip times between sites'),
  jitter: latency().optional().describe('added to half the RTT on cross-site messages'),
  links: z.array(linkSchema).max(LIMITS.links).optional().describe('per-link overrides'),
});

const opSchema = z.enum(['get', 'put', 'cas', 'append']);

const scriptEntrySchema = z.strictObject({
  at: duration(),
  client: z.string().min(1),
  op: opSchema,
  key: z.string().min(1),
  value: z.string().optional(),
  expected: z.string().nullable().optional(),
  node: nodeId.optional().describe('the node this request is sent to first'),
});

const workloadSchema = z.strictObject({
  clients: count(0, LIMITS.clients, 'the number of clients').optional(),
  requests: count(0, LIMITS.requests, 'the number of requests').optional().describe('total operations, spread over the clients'),
  thinkTime: latency().optional().describe('pause between a reply and the next request'),
  mix: z.strictObject({ get: z.number().min(0).optional(), put: z.number().min(0).optional(), cas: z.number().min(0).optional(), append: z.number().min(0).optional() }).optional(),
  keys: count(1, LIMITS.keys, 'the number of keys').optional(),
  skew: z.number().min(0).max(10).optional().describe('Zipf exponent of key popularity (0 = uniform)'),
  conflictRate: probability().optional().describe('probability an operation targets the one shared key; otherwise a key private to its client'),
  timeout: duration().optional().describe('client retry timeout (default 1s)'),
  maxAttempts: count(0, 1_000_000, 'attempts per operation').optional().describe('give up after this many attempts; 0 = retry until the run ends'),
  start: duration().optional(),
  placement: z.array(z.string().min(1)).min(1).optional().describe('nodes or sites the clients live at, round robin; or [leader]: next to the node that leads when the workload starts'),
  script: z.array(scriptEntrySchema).max(LIMITS.scriptOperations).optional().describe('operations at fixed times from named clients'),
});

const faultSchema = z.strictObject({
  at: duration(),
  within: duration().optional().describe('fire at a uniformly random moment in [at, at + within]'),
  every: duration().optional().describe('repeat with this period'),
  count: count(1, LIMITS.faultRepetitions, 'the repetition count').optional(),
  for: duration().optional().describe('undo the fault after this long'),
  crash: target().optional(),
  restart: target().optional(),
  pause: target().optional(),
  resume: target().optional(),
  wipe: target().optional(),
  partition: z.union([z.array(z.array(nodeId).min(1)).min(1), target()]).optional().describe('groups [[n1, n2], [n3]], or a target to isolate from the rest'),
  cut: z.strictObject({ from: target(), to: target() }).optional().describe('one-way: messages from → to are lost'),
  heal: z.union([z.literal('all'), z.literal(true)]).optional(),
  drift: target().optional(),
  rate: z.number().positive().max(10).optional().describe('the clock rate for drift'),
});

export const FAULT_ACTIONS = ['crash', 'restart', 'pause', 'resume', 'wipe', 'partition', 'cut', 'heal', 'drift'] as const;

const runSchema = z.strictObject({
  until: duration().describe('how much simulated time to run'),
  stopWhenDone: z.boolean().optional().describe('stop once every client is done and no fault is pending (default true)'),
  maxEvents: count(1, LIMITS.maxEvents, 'the event budget').optional(),
});

const resultSchema = z.strictObject({
  client: z.string().min(1),
  nth: count(1, LIMITS.scriptOperations, 'the operation number').optional(),
  ok: z.boolean().optional(),
  value: z.string().nullable().optional(),
});

const expectSchema = z.strictObject({
  safety: z.enum(['hold', 'violated']).optional(),
  violation: z.string().optional().describe('the invariant that must be violated'),
  completed: z.strictObject({ atLeast: count(0, LIMITS.requests, 'a request count').optional(), atMost: count(0, LIMITS.requests, 'a request count').optional() }).optional(),
  latency: z.strictObject({ p50: duration().optional(), p99: duration().optional(), max: duration().optional() }).optional(),
  results: z.array(resultSchema).optional(),
  completedDuring: z
    .array(z.strictObject({ from: duration(), to: duration(), atLeast: count(0, LIMITS.requests, 'a request count').optional(), atMost: count(0, LIMITS.requests, 'a request count').optional() }))
    .optional()
    .describe('bounds on requests completed inside time windows, e.g. none while a majority is down'),
});

const compareSchema = z.strictObject({
  protocols: z.array(z.string().min(1)).min(1).optional().describe('the protocols `parliament compare` runs by default'),
  options: z.record(z.string(), z.record(z.string(), z.unknown())).optional().describe('options per protocol, used when comparing'),
  roundTrips: z.record(z.string(), z.number().positive()).optional().describe('the textbook median round trips per request, per protocol; compare checks them within 5%'),
});

export const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  protocol: z.string({ error: (issue) => (issue.input === undefined ? 'required: which protocol to run' : 'expected a protocol name') }),
  options: z.record(z.string(), z.unknown()).optional().describe("the protocol's options (see `parliament list`)"),
  bug: z.string().optional().describe('run a named, deliberately wrong variant'),
  seed: count(0, Number.MAX_SAFE_INTEGER, 'the seed').optional(),
  cluster: clusterSchema,
  network: networkSchema.optional(),
  workload: workloadSchema.optional(),
  faults: z.array(faultSchema).max(LIMITS.faults).optional(),
  run: runSchema,
  expect: expectSchema.optional(),
  compare: compareSchema.optional().describe('settings for parliament compare'),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioParsed = z.output<typeof scenarioSchema>;
export type FaultParsed = z.output<typeof faultSchema>;
export type WorkloadParsed = z.output<typeof workloadSchema>;
