import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { fromJs, isDict, type PyDict } from '../py/value.ts';
import { ApiError } from './api-error.ts';
import { VerifyRequest } from './schemas.ts';
import { callTool, verifySession } from './session-ops.ts';
import type { Session } from './session-store.ts';

/** The verification tool's name: prefixed so it cannot collide with a domain tool. */
export const VERIFY_TOOL = 'tarl_verify';

/** Lossless arguments of pending `tools/call` requests, keyed by JSON-RPC id (see `stashArguments`). */
export type PendingArguments = Map<string, PyDict>;

export function requestKey(id: string | number): string {
  return `${typeof id}:${String(id)}`;
}

const verifyTool: McpTool = {
  name: VERIFY_TOOL,
  description:
    "Scores this session's world against its task (τ-bench reward: database equality and required outputs). " +
    'For the harness, not the agent: pass the agent\'s messages to the user as agent_messages.',
  inputSchema: z.toJSONSchema(VerifyRequest, { target: 'draft-7' }) as McpTool['inputSchema'],
};

/**
 * One MCP server per MCP session, bound to that session's world. It uses the SDK's low-level
 * `Server` with our own handlers: arguments go to `Sandbox.call` unvalidated (as τ-bench passes
 * them), so MCP observations equal REST and in-process ones byte for byte. Tool errors stay
 * observations (`isError` false), as the model sees them in τ-bench.
 */
export function mcpServerFor(session: Session, opts: { verify: boolean }, pending: PendingArguments): Server {
  const server = new Server({ name: 'tarl-sandbox', version: '0.1.0' }, { capabilities: { tools: {} } });
  const tools: McpTool[] = session.domain.tools.map((t) => ({
    name: t.function.name,
    description: t.function.description,
    inputSchema: t.function.parameters as McpTool['inputSchema'],
  }));
  if (opts.verify) tools.push(verifyTool);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));

  server.setRequestHandler(CallToolRequestSchema, (request, extra): CallToolResult => {
    const key = requestKey(extra.requestId);
    const stashed = pending.get(key);
    pending.delete(key);
    const { name } = request.params;
    if (opts.verify && name === VERIFY_TOOL) return verifyResult(session, request.params.arguments);
    const raw = fromJs(request.params.arguments ?? {});
    const kwargs = stashed ?? (isDict(raw) ? raw : new Map());
    return { content: [{ type: 'text', text: callTool(session, name, kwargs) }] };
  });

  return server;
}

function verifyResult(session: Session, args: unknown): CallToolResult {
  const parsed = VerifyRequest.safeParse(args ?? {});
  if (!parsed.success) {
    return { isError: true, content: [{ type: 'text', text: `invalid ${VERIFY_TOOL} arguments: ${parsed.error.issues[0]?.message ?? ''}` }] };
  }
  try {
    const result = verifySession(session, parsed.data.agent_messages, parsed.data.mode);
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
  } catch (e) {
    if (e instanceof ApiError) return { isError: true, content: [{ type: 'text', text: e.message }] };
    throw e;
  }
}
