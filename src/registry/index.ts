/**
 * The protocol registry. Protocols are discovered, not listed: every folder
 * under `protocols/` with an `index` module exporting `protocol` is loaded, in
 * name order. Adding a protocol is adding a folder; nothing here changes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, ProtocolDefinition } from '../api/protocol.js';
import { didYouMean, UserError } from '../errors.js';

export type AnyProtocol = ProtocolDefinition<Message, object>;

const here = dirname(fileURLToPath(import.meta.url));
/** `protocols/` next to `src/` (in the source tree, and in `dist/` after a build). */
export const PROTOCOLS_DIR = join(here, '..', '..', 'protocols');

async function discover(): Promise<Map<string, AnyProtocol>> {
  const found = new Map<string, AnyProtocol>();
  const folders = readdirSync(PROTOCOLS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    const candidates = ['index.js', 'index.ts'].map((file) => join(PROTOCOLS_DIR, folder, file));
    const file = candidates.find((candidate) => existsSync(candidate));
    if (file === undefined) continue;
    const module = (await import(pathToFileURL(file).href)) as { protocol?: AnyProtocol };
    const definition = module.protocol;
    if (definition === undefined) throw new Error(`protocols/${folder}/index exports no \`protocol\``);
    if (found.has(definition.name)) throw new Error(`two protocol folders define "${definition.name}"`);
    found.set(definition.name, definition);
  }
  return found;
}

const registry = await discover();

export function protocolNames(): string[] {
  return [...registry.keys()];
}

export function allProtocols(): AnyProtocol[] {
  return [...registry.values()];
}

export function findProtocol(name: string): AnyProtocol | undefined {
  return registry.get(name);
}

/** The protocol, or a UserError naming the valid ones (with a did-you-mean). */
export function getProtocol(name: string, where = 'protocol'): AnyProtocol {
  const found = registry.get(name);
  if (found) return found;
  const names = protocolNames();
  const suggestion = didYouMean(name, names);
  throw new UserError(`${where}: unknown protocol "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; valid protocols: ${names.join(', ')}`);
}
