/** Calling and listing the agent's discoverable tools (`call_discoverable_agent_tool`, `list_discoverable_agent_tools`). */
import { PyError, typeError } from '../../../py/errors.ts';
import { checkHashable } from '../../../py/ops.ts';
import { dict, isDict, typeName } from '../../../py/value.ts';
import { bindMethod } from '../../../sandbox/tau2/environment.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool, type Tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { addToDb, queryDatabaseTool } from '../db.ts';
import { agentDiscoverableToolId } from '../ids.ts';
import { fstr } from '../py.ts';
import { SCHEMAS } from '../schemas.ts';
import type { BankingCtx } from '../toolkit.ts';
import { parseArguments } from './base.ts';

/** `method(**args)` as Python calls a discoverable tool: binding TypeErrors, then the body. */
export function callWithKwargs(tool: Tau2Tool<BankingCtx>, ctx: BankingCtx, owner: string, args: unknown): ReturnType<Tau2Tool<BankingCtx>['run']> {
  const qualname = `${owner}.${tool.name}`;
  if (!(args instanceof Map)) throw typeError(`${qualname}() argument after ** must be a mapping, not ${typeName(args as never)}`);
  return tool.run(ctx, bindMethod(qualname, tool.params, tool.defaults, args));
}

export function agentDiscoverableCalls(tools: readonly Tau2Tool<BankingCtx>[]): Tau2Tool<BankingCtx>[] {
  const byName = new Map(tools.filter((t) => t.discoverable).map((t) => [t.name, t]));
  const call = tau2Tool<BankingCtx>({
    name: 'call_discoverable_agent_tool',
    type: 'write',
    schema: SCHEMAS.call_discoverable_agent_tool,
    run(ctx, a) {
      const name = arg(a, 'agent_tool_name');
      checkHashable(name);
      const tool = typeof name === 'string' ? byName.get(name) : undefined;
      if (!tool) return `Error: Unknown agent tool '${fstr(name)}'. This tool is not available.`;
      if (!ctx.unlocked.has(tool.name)) {
        return `Error: Tool '${tool.name}' has not been unlocked. You must first use \`unlock_discoverable_agent_tool\` to unlock this tool before calling it.`;
      }
      const parsed = parseArguments(arg(a, 'arguments'), true);
      if (!parsed.ok) return parsed.error;
      let result;
      try {
        result = callWithKwargs(tool, ctx, 'KnowledgeTools', parsed.value);
      } catch (e) {
        if (e instanceof PyError && e.pyType === 'TypeError') return `Error: Invalid arguments: ${e.pyMessage}`;
        throw e;
      }
      if ((tool.mutatesState ?? false) || ctx.readLogAllowlist.has(tool.name)) {
        addToDb(ctx.db, 'agent_discoverable_tools', agentDiscoverableToolId(tool.name), dict([['tool_name', tool.name], ['status', 'CALLED']]));
      }
      return result;
    },
  });
  const list = tau2Tool<BankingCtx>({
    name: 'list_discoverable_agent_tools',
    type: 'read',
    schema: SCHEMAS.list_discoverable_agent_tools,
    run: (ctx) => `Your called agent tools:\n${queryDatabaseTool(ctx.db, 'agent_discoverable_tools', '{}')}`,
  });
  return [call, list];
}

export { isDict };
