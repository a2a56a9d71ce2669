import type { Tau2World } from '../../sandbox/tau2/world.ts';

export function loadBanking(dir: string): Tau2World {
  throw new Error(`banking_knowledge is not loaded yet (${dir})`);
}
