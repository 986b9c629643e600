/**
 * Plain data types shared by the simulator and every protocol.
 *
 * Time is an integer count of microseconds everywhere (`Micros`); node ids are
 * `n1…nN`, client ids `c1…cM` or names given in a scenario.
 */

/** Simulated time or a duration, in integer microseconds. */
export type Micros = number;

/** A replica's id: `n1`, `n2`, … */
export type NodeId = string;

/** A client's id: `c1`, `c2`, … or a scenario-given name such as `bob`. */
export type ClientId = string;

/** The operations of the replicated key-value store. */
export type Op = 'get' | 'put' | 'cas' | 'append';

/** Ops that change the store. Two commands conflict when they touch the same key and one of them writes. */
export const WRITE_OPS: ReadonlySet<Op> = new Set<Op>(['put', 'cas', 'append']);

/**
 * A client command. `id` is `client#seq`, unique per logical request: a retry
 * carries the same id, which is how the client table makes it exactly-once.
 */
export interface Command {
  readonly id: string;
  readonly client: ClientId;
  readonly seq: number;
  readonly op: Op;
  readonly key: string;
  /** put: the new value; cas: the value to install; append: the suffix. */
  readonly value?: string;
  /** cas only: the value the key must hold (null = absent) for the swap to happen. */
  readonly expected?: string | null;
}

/**
 * The result of applying a command.
 * - get: `{ ok: true, value }` (null when absent)
 * - put: `{ ok: true }`
 * - cas: `{ ok: swapped, value: the value before }`
 * - append: `{ ok: true, value: the value after }`
 */
export interface Result {
  readonly ok: boolean;
  readonly value?: string | null;
}

/** Builds a command id from its client and sequence number. */
export function commandId(client: ClientId, seq: number): string {
  return `${client}#${seq}`;
}

/** True when the command changes the store. */
export function isWrite(command: Command): boolean {
  return WRITE_OPS.has(command.op);
}

/** Fails loudly when an impossible case is reached; ends exhaustive switches. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Asserts a condition a handler relies on; the simulator reports a failed one as a violation. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailure(message);
}

/** Thrown by `assert`; the simulator turns it into an `assertion` violation with the node and time. */
export class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
}
