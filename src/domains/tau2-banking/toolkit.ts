/**
 * The banking toolkits' shared state: one transactional database (the agent's `KnowledgeTools`
 * and the user's `KnowledgeUserTools` share it, so both hashes are the same), the in-memory
 * record of unlocked agent tools and given user tools, and the read-log allowlist.
 */
import type { PyDict, PyValue } from '../../py/value.ts';
import type { Tau2Db } from '../../sandbox/tau2/db.ts';
import type { BoundArgs } from '../../sandbox/tool.ts';
import type { Tau2Tool } from '../../sandbox/tau2/tool.ts';
import { DISCOVERABLE } from './discoverable-info.ts';

export interface BankingCtx {
  db: Tau2Db;
  /** `_agent_discoverable_tools_state`: unlocked agent tools (in memory, not in the database). */
  unlocked: Map<string, PyDict>;
  /** `_user_discoverable_tools_state`: tools given to the user. */
  given: Map<string, PyDict>;
  /** Read-only discoverable tools whose calls are logged (τ²'s `read_log_allowlist`). */
  readLogAllowlist: ReadonlySet<string>;
}

export const AGENT_CLASS = 'KnowledgeTools';
export const USER_CLASS = 'KnowledgeUserTools';
export const TODAY = '11/14/2025';
export const NOW_ISO = '2025-11-14T03:40:00';

/** A discoverable tool (callable by name; never in the prompt's tool list) from its description data. */
export function discoverable(name: string, run: (ctx: BankingCtx, args: BoundArgs) => PyValue): Tau2Tool<BankingCtx> {
  const info = DISCOVERABLE[name];
  if (!info) throw new Error(`no discoverable tool '${name}' in discoverable-info.ts`);
  return {
    name,
    type: info.type,
    mutatesState: info.mutates,
    discoverable: true,
    params: info.params,
    defaults: info.defaults,
    owner: info.owner,
    run,
  };
}

/** `format_discoverable_tool_for_agent(parse_discoverable_tool_docstring(method))`. */
export function formatForAgent(name: string): string {
  const info = DISCOVERABLE[name]!;
  const params = info.parameters.map(([p, d]) => `  - ${p}: ${d.type}${d.required ? ' (required)' : ' (optional)'} - ${d.description}`);
  return `Tool: ${name}\nDescription: ${info.description}\nParameters:\n${params.length > 0 ? params.join('\n') : '  (no parameters)'}`;
}
