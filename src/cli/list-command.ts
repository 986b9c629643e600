/** `parliament list` and `parliament schema`. */
import type { z } from 'zod';
import { genericInvariants } from '../check/generic.js';
import { allProtocols, type AnyProtocol } from '../registry/index.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';
import { out, paint } from './output.js';

interface OptionInfo {
  name: string;
  description: string;
}

function optionsOf(protocol: AnyProtocol): OptionInfo[] {
  const shape = ((protocol.options as unknown as { _zod: { def: { shape?: Record<string, z.ZodType> } } })._zod.def.shape ?? {}) as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, schema]) => ({ name, description: schema.description ?? '' }));
}

export function describeProtocols() {
  return {
    protocols: allProtocols().map((protocol) => {
      const defaults = (protocol.options as z.ZodType).safeParse({});
      return {
        name: protocol.name,
        title: protocol.title,
        paper: protocol.paper,
        clientPolicy: protocol.clientPolicy,
        minNodes: protocol.minNodes ?? 1,
        options: optionsOf(protocol),
        defaults: defaults.success ? defaults.data : null,
        bugs: Object.entries(protocol.bugs).map(([name, description]) => ({ name, description })),
        invariants: protocol.invariants((defaults.success ? defaults.data : {}) as never).map((inv) => ({ name: inv.name, description: inv.description, needs: inv.needs })),
      };
    }),
    genericInvariants: [
      ...genericInvariants.map((inv) => ({ name: inv.name, description: inv.description, needs: inv.needs })),
      { name: 'assertion', description: "A replica's own assertion failed (its handler checks what it assumes).", needs: 'state' },
      { name: 'protocol-error', description: 'A replica handler threw (a bug in the implementation).', needs: 'state' },
    ],
  };
}

export function listCommand(flags: { json?: boolean }): number {
  const data = describeProtocols();
  if (flags.json) {
    out(JSON.stringify(data, null, 2));
    return 0;
  }
  for (const protocol of data.protocols) {
    out(`${paint.bold(protocol.name)} — ${protocol.title}`);
    out(`  ${paint.dim(protocol.paper)}`);
    out(`  clients send to: ${protocol.clientPolicy}`);
    out('  options:');
    for (const option of protocol.options) out(`    ${option.name.padEnd(22)} ${option.description}`);
    out('  bug variants (--bug NAME):');
    for (const bug of protocol.bugs) out(`    ${bug.name.padEnd(22)} ${bug.description}`);
    out('  invariants:');
    for (const inv of protocol.invariants) out(`    ${inv.name.padEnd(34)} ${inv.description}`);
    out();
  }
  out(paint.bold('checked for every protocol:'));
  for (const inv of data.genericInvariants) out(`    ${inv.name.padEnd(34)} ${inv.description}`);
  return 0;
}

export function schemaCommand(): number {
  out(JSON.stringify(scenarioJsonSchema(allProtocols()), null, 2));
  return 0;
}
