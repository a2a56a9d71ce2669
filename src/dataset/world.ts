import { resolve } from 'node:path';
import { getDomain } from '../domains/registry.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import { readTaubenchData } from './taubench.ts';

const templates = new Map<string, WorldTemplate>();

/** The world template of a domain in a τ-bench-layout directory, built once per process. */
export function loadTaubenchWorld(dir: string, domainName: string): WorldTemplate {
  const id = `${resolve(dir)}\0${domainName}`;
  let t = templates.get(id);
  if (!t) {
    const domain = getDomain(domainName);
    t = WorldTemplate.build(domain, readTaubenchData(dir, domain.name, domain.tables));
    templates.set(id, t);
  }
  return t;
}
