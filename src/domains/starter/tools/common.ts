import { z } from 'zod';
import type { PySignature } from '../../../sandbox/tool.ts';

export const ORDER_ID = z.string().describe("Order id, such as '#412'.");
export const USER_ID = z.string().describe("User id, such as 'u42'.");

/** The two cancellation reasons the policy and `cancel_order` accept. */
export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

/** The Python signature of a starter tool (binding errors quote its class and module). */
export function signature(file: string, className: string, params: readonly string[]): PySignature {
  return { className, module: `tarl.envs.starter.tools.${file}`, params };
}
