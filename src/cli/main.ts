/**
 * The `parliament` command line. Bad input of any kind ends with a one-line
 * message and exit code 2; a violation or unmet expectation with exit 1.
 */
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { UserError } from '../errors.js';
import { compareCommand } from './compare-command.js';
import { fuzzCommand } from './fuzz-command.js';
import { checkHistoryCommand } from './history-command.js';
import { listCommand, schemaCommand } from './list-command.js';
import { paint } from './output.js';
import { runCommand } from './run-command.js';
import { checkCommand, replayCommand } from './trace-commands.js';

const EXIT_BAD_INPUT = 2;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function guard(action: () => number): void {
  let code: number;
  try {
    code = action();
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`parliament: ${error.message}\n`);
      for (const detail of error.details) process.stderr.write(`parliament: ${detail}\n`);
      code = EXIT_BAD_INPUT;
    } else {
      throw error;
    }
  }
  process.exitCode = code;
}

async function guardAsync(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`parliament: ${error.message}\n`);
    for (const detail of error.details) process.stderr.write(`parliament: ${detail}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('parliament')
    .description('A deterministic discrete-event simulator of consensus protocols.')
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('run')
    .description('run a scenario file and check it (exit 0: invariants and expectations hold; 1: they do not; 2: bad input)')
    .argument('<scenario>', 'a YAML or JSON scenario file')
    .option('--seed <n>', "run with this seed instead of the scenario's")
    .option('--seeds <a..b>', 'run every seed of a range and print the aggregate')
    .option('--protocol <name>', "run this protocol instead of the scenario's (its options are dropped)")
    .option('--bug <name>', 'run a named bug variant of the protocol (none: the correct protocol)')
    .option('--option <key=value>', 'set a protocol option (repeatable)', collect)
    .option('--trace <file>', 'write the JSONL trace of the run')
    .option('--history <file>', 'write the client history (for check-history)')
    .option('--pretty', 'print every event, readably, on stderr')
    .option('--json', 'print one JSON object instead of the summary')
    .action((scenario, flags) => guard(() => runCommand(scenario, flags)));

  program
    .command('replay')
    .description('re-run the scenario and seed in a trace header; say "identical" or show the first diverging event')
    .argument('<trace>', 'a JSONL trace written by run --trace')
    .option('--json', 'print one JSON object')
    .action((trace, flags) => guard(() => replayCommand(trace, flags)));

  program
    .command('check')
    .description('run the invariants offline over a trace file, and verify its digest')
    .argument('<trace>', 'a JSONL trace written by run --trace')
    .option('--json', 'print one JSON object')
    .action((trace, flags) => guard(() => checkCommand(trace, flags)));

  program
    .command('compare')
    .description('run one scenario under several protocols (same network, workload and faults) and compare latency, round trips and cost')
    .argument('<scenario>', 'a YAML or JSON scenario file')
    .option('--protocols <list>', 'comma-separated protocols (default: the scenario\'s compare.protocols)')
    .option('--seeds <k>', 'run k seeds per protocol, from the scenario\'s seed on (default 1)')
    .option('--svg <file>', 'where to draw the latency CDF (and per-site latency on a WAN) as SVG (default compare-out/<scenario>.svg)')
    .option('--no-svg', 'do not draw')
    .option('--json', 'print one JSON object')
    .action((scenario, flags) => guard(() => compareCommand(scenario, flags)));

  program
    .command('fuzz')
    .description('run generated fault schedules against protocols; shrink and write out every finding (exit 1 on a finding)')
    .option('--protocol <name>', 'a protocol, a comma-separated list, or all (default all)')
    .option('--seeds <a..b>', 'the seeds to run (default 1..100)')
    .option('--time <duration>', 'run seeds from 1 on until this much wall time has passed (e.g. 60s)')
    .option('--workers <n>', 'worker threads (default: every core)')
    .option('--shard <i/n>', 'run only shard i of n (every n-th seed from the i-th), to split a sweep across machines')
    .option('--bug <name>', 'fuzz a named bug variant (needs one --protocol)')
    .option('--out <dir>', 'where findings are written: scenario, trace and shrunk scenario (default fuzz-out)')
    .option('--nodes <n>', 'generate only clusters of these sizes (e.g. 5, or 3,5,7; default 3 or 5)')
    .option('--no-shrink', 'do not shrink findings')
    .option('--json', 'print one JSON object (and no progress)')
    .action(async (flags) => guardAsync(() => fuzzCommand(flags)));

  program
    .command('check-history')
    .description('check that a client history (JSONL: invoke/ok/fail/info lines, or a parliament trace) is linearizable')
    .argument('<history>', 'a history file written by run --history, or by your own system')
    .option('--unit <unit>', 'the unit of t, for messages: us (default, what parliament writes), ms, s or raw')
    .option('--json', 'print one JSON object')
    .action((history, flags) => guard(() => checkHistoryCommand(history, flags)));

  program
    .command('list')
    .description('list protocols with their papers, options, bug variants and invariants')
    .option('--json', 'print the same as JSON')
    .action((flags) => guard(() => listCommand(flags)));

  program
    .command('schema')
    .description('print the scenario file format as JSON Schema')
    .action(() => guard(() => schemaCommand()));

  program.addOption(new Option('--no-color', 'no colour in output (NO_COLOR works too)').hideHelp());
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  // A reader that goes away (`| head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors (unknown option, missing argument) are bad input.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return;
    }
    if (error instanceof UserError) {
      process.stderr.write(`parliament: ${error.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    process.stderr.write(paint.red('parliament: internal error (a bug in parliament, not in your input):\n'));
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 3;
  }
}

