import { z } from 'zod';
import { evaluateCalculation } from '../py/eval/calculate.ts';
import type { PySignature, Tool } from '../sandbox/tool.ts';

/** τ-bench's `calculate`, the same in both domains except for the Python module it lives in. */
export function calculateTool(py: PySignature): Tool {
  return {
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
    py,
    run: (_world, { expression }) => evaluateCalculation(expression),
  };
}
