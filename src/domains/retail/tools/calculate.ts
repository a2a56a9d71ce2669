import { z } from 'zod';
import { evaluateCalculation } from '../../../py/eval/calculate.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature } from './common.ts';

export const calculate: Tool = {
  name: 'calculate',
  description: 'Calculate the result of a mathematical expression.',
  kind: 'read',
  schema: z.object({
    expression: z
      .string()
      .describe(
        "The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.",
      ),
  }),
  py: signature('calculate', 'Calculate', ['expression']),
  run: (_world, { expression }) => evaluateCalculation(expression),
};
