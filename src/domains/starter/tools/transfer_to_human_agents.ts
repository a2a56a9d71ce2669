import { z } from 'zod';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature } from './common.ts';

export const transferToHumanAgents: Tool = {
  name: 'transfer_to_human_agents',
  description: 'Hand the customer to a human agent with a summary.',
  kind: 'terminate',
  schema: z.object({ summary: z.string().describe('Summary of the issue.') }),
  py: signature('transfer_to_human_agents', 'TransferToHumanAgents', ['summary']),
  run: () => 'Transfer successful',
};
