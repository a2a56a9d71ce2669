import type { Tool } from '../../../sandbox/tool.ts';
import { calculateTool } from '../../calculate-tool.ts';
import { signature } from './common.ts';

export const calculate: Tool = calculateTool(signature('calculate', 'Calculate', ['expression']));
