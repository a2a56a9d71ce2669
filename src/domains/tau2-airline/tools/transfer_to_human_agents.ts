import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { AirlineCtx } from '../toolkit.ts';

export const transferToHumanAgents = tau2Tool<AirlineCtx>({
  name: 'transfer_to_human_agents',
  type: 'generic',
  schema: SCHEMAS.transfer_to_human_agents,
  run: () => 'Transfer successful',
});
