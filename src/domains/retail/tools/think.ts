import { z } from 'zod';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature } from './common.ts';

export const think: Tool = {
  name: 'think',
  description:
    'Use the tool to think about something. It will not obtain new information or change the database, but just append the thought to the log. Use it when complex reasoning or some cache memory is needed.',
  kind: 'think',
  schema: z.object({ thought: z.string().describe('A thought to think about.') }),
  py: signature('think', 'Think', ['thought']),
  run: () => '',
};
