import { z } from 'zod';
import type { Tool } from '../../../sandbox/tool.ts';
import { airlineSignature } from '../signature.ts';

export const think: Tool = {
  name: 'think',
  description:
    'Use the tool to think about something. It will not obtain new information or change the database, but just append the thought to the log. Use it when complex reasoning is needed.',
  kind: 'think',
  schema: z.object({ thought: z.string().describe('A thought to think about.') }),
  py: airlineSignature('think', 'Think', ['thought']),
  run() {
    return '';
  },
};
