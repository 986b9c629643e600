/**
 * Terminal output helpers: colour only on a terminal (and never with NO_COLOR),
 * tables without colour codes when piped.
 */
import { Chalk } from 'chalk';
import Table from 'cli-table3';

const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined && process.env.FORCE_COLOR !== '0';
export const paint = new Chalk({ level: colour ? 1 : 0 });

export function table(head: string[], rows: (string | number)[][], alignRight: number[] = []): string {
  const t = new Table({
    head: head.map((h) => paint.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    colAligns: head.map((_, index) => (alignRight.includes(index) ? 'right' : 'left')),
  });
  for (const row of rows) t.push(row.map(String));
  return t.toString();
}

export function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  return `${+value.toFixed(3)} ms`;
}

export function out(line = ''): void {
  process.stdout.write(line + '\n');
}
