import type { DomainName, WorldData } from '../domains/domain.ts';
import { AIRLINE_DEFAULTS, generateAirlineWorld } from './airline/world.ts';
import { generateRetailWorld, RETAIL_DEFAULTS } from './retail/world.ts';
import { generateStarterWorld, STARTER_DEFAULTS } from './starter/world.ts';

/**
 * A generated world of a domain and the size options it was built with: the domain's default
 * size, or `users` users with the other tables scaled as in τ-bench (retail: 2 orders per user;
 * airline: 4 reservations per user; starter: 1–3 orders per user anyway).
 */
export function generateWorld(domain: DomainName, seed: number, users?: number): { data: WorldData; options: Record<string, number | string> } {
  if (domain === 'retail') {
    const options = users === undefined ? RETAIL_DEFAULTS : { ...RETAIL_DEFAULTS, users, orders: users * 2 };
    return { data: generateRetailWorld(seed, options), options: { ...options } };
  }
  if (domain === 'airline') {
    const options = users === undefined ? AIRLINE_DEFAULTS : { ...AIRLINE_DEFAULTS, users, reservations: users * 4 };
    return { data: generateAirlineWorld(seed, options), options: { ...options } };
  }
  const options = users === undefined ? STARTER_DEFAULTS : { ...STARTER_DEFAULTS, users };
  return { data: generateStarterWorld(seed, options), options: { ...options } };
}
