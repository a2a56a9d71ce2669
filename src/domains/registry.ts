import { airline } from './airline/index.ts';
import { DOMAIN_NAMES, type Domain, type DomainName } from './domain.ts';
import { retail } from './retail/index.ts';
import { starter } from './starter/index.ts';

const DOMAINS: Record<DomainName, Domain> = { retail, airline, starter };

export function isDomainName(name: string): name is DomainName {
  return (DOMAIN_NAMES as readonly string[]).includes(name);
}

export function getDomain(name: string): Domain {
  if (!isDomainName(name)) throw new Error(`unknown domain '${name}' (known: ${DOMAIN_NAMES.join(', ')})`);
  return DOMAINS[name];
}
