/**
 * JSONL trace files: a header line (format, version, protocol, seed and the
 * scenario that was run), one line per event, and a footer line (summary and
 * digest). Writing streams through a buffer; nothing is kept in memory.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { TraceEvent } from '../api/events.js';
import { UserError } from '../errors.js';

export const TRACE_FORMAT = 'parliament-trace';
export const TRACE_VERSION = 1;

export interface TraceHeader {
  readonly type: 'header';
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  readonly protocol: string;
  readonly bug?: string;
  readonly seed: number;
  /** The scenario as run (scenario-file form, command-line overrides applied): enough to run it again. */
  readonly scenario: unknown;
  /** The same, resolved: defaults filled in and durations in µs. */
  readonly resolved: unknown;
}

export interface TraceFooter {
  readonly type: 'footer';
  readonly digest: string;
  readonly events: number;
  readonly summary: unknown;
}

/** Something that consumes the events of a run as they happen. */
export interface TraceSink {
  event(event: TraceEvent): void;
}

const FLUSH_BYTES = 1 << 16;

/** Buffered writing of one JSON value per line. */
export class JsonlLineWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedBytes = 0;

  constructor(
    readonly path: string,
    what: string,
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new UserError(`${path}: cannot write the ${what} file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }

  line(value: unknown): void {
    const text = JSON.stringify(value);
    this.buffer.push(text);
    this.bufferedBytes += text.length + 1;
    if (this.bufferedBytes >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.bufferedBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export class JsonlTraceWriter implements TraceSink {
  private readonly writer: JsonlLineWriter;

  constructor(readonly path: string) {
    this.writer = new JsonlLineWriter(path, 'trace');
  }

  header(header: TraceHeader): void {
    this.writer.line(header);
  }

  event(event: TraceEvent): void {
    this.writer.line(event);
  }

  footer(footer: TraceFooter): void {
    this.writer.line(footer);
  }

  close(): void {
    this.writer.close();
  }
}

export interface TraceFile {
  readonly header: TraceHeader;
  readonly events: TraceEvent[];
  readonly footer: TraceFooter | undefined;
}

/** Reads and checks a trace file; every problem is a UserError naming the file and line. */
export function readTrace(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${path}: cannot read the trace file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parsed: unknown[] = lines.map((line, index) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      throw new UserError(`${path}:${index + 1}: not a JSON line; a trace has one JSON object per line`);
    }
  });
  const header = parsed[0] as Partial<TraceHeader> | undefined;
  if (!header || header.type !== 'header' || header.format !== TRACE_FORMAT) {
    throw new UserError(`${path}:1: not a parliament trace (the first line must be a header with "format": "${TRACE_FORMAT}")`);
  }
  if (header.version !== TRACE_VERSION) {
    throw new UserError(`${path}:1: trace format version ${String(header.version)} is not supported (this parliament reads version ${TRACE_VERSION})`);
  }
  let footer: TraceFooter | undefined;
  const last = parsed[parsed.length - 1] as { type?: string } | undefined;
  let end = parsed.length;
  if (parsed.length > 1 && last?.type === 'footer') {
    footer = last as TraceFooter;
    end--;
  }
  const events: TraceEvent[] = [];
  for (let i = 1; i < end; i++) {
    const event = parsed[i] as { type?: unknown; t?: unknown };
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.t !== 'number') {
      throw new UserError(`${path}:${i + 1}: an event line needs a string "type" and a numeric "t"`);
    }
    events.push(event as TraceEvent);
  }
  return { header: header as TraceHeader, events, footer };
}
