/**
 * The scenario format as JSON Schema (draft 2020-12), for editors: the file
 * schema, with `protocol` limited to the known protocols and, per protocol,
 * its options and bug variants.
 */
import { z } from 'zod';
import type { AnyProtocol } from '../registry/index.js';
import { documentedAs } from './fields.js';
import { scenarioSchema } from './schema.js';

function toJson(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (context) => {
      const documented = documentedAs.get(context.zodSchema as unknown as z.ZodType);
      if (documented === undefined) return;
      const replacement = z.toJSONSchema(documented, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      delete replacement.$schema;
      for (const key of Object.keys(context.jsonSchema)) delete (context.jsonSchema as Record<string, unknown>)[key];
      Object.assign(context.jsonSchema, replacement);
    },
  }) as Record<string, unknown>;
  return json;
}

export function scenarioJsonSchema(protocols: readonly AnyProtocol[]): Record<string, unknown> {
  const schema = toJson(scenarioSchema);
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  properties.protocol = { type: 'string', enum: protocols.map((p) => p.name), description: 'which protocol to run' };
  schema.allOf = protocols.map((protocol) => {
    const options = toJson(protocol.options as z.ZodType);
    delete options.$schema;
    return {
      if: { properties: { protocol: { const: protocol.name } } },
      then: {
        properties: {
          options,
          bug: { type: 'string', enum: Object.keys(protocol.bugs) },
        },
      },
    };
  });
  return {
    $schema: schema.$schema,
    $id: 'https://parliament.invalid/scenario.schema.json',
    title: 'parliament scenario',
    description: 'A scenario for the parliament consensus simulator: protocol, cluster, network, workload, faults, run length and expectations.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
