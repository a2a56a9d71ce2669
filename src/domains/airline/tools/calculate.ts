import type { Tool } from '../../../sandbox/tool.ts';
import { calculateTool } from '../../calculate-tool.ts';
import { airlineSignature } from '../signature.ts';

export const calculate: Tool = calculateTool(airlineSignature('calculate', 'Calculate', ['expression']));
