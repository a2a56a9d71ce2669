import { z } from 'zod';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature } from './common.ts';

export const transferToHumanAgents: Tool = {
  name: 'transfer_to_human_agents',
  description:
    "Transfer the user to a human agent, with a summary of the user's issue. Only transfer if the user explicitly asks for a human agent, or if the user's issue cannot be resolved by the agent with the available tools.",
  kind: 'terminate',
  schema: z.object({ summary: z.string().describe("A summary of the user's issue.") }),
  py: signature('transfer_to_human_agents', 'TransferToHumanAgents', ['summary']),
  run: () => 'Transfer successful',
};
