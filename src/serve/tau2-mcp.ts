/**
 * MCP (Streamable HTTP) for τ²-bench worlds: `/mcp` publishes the agent's tools, `/mcp/user`
 * the user's tools (telecom's phone, banking's customer tools). An `initialize` on `/mcp`
 * creates the session from its query (`?domain=telecom&split=base&task=3`, `&solo=1`); one on
 * `/mcp/user?session=<id>` attaches the user side to that same world, so agent and user calls
 * meet in one environment, as τ²'s dual control has it. Arguments reach the tools unvalidated
 * and losslessly; tool errors are observations (`isError` false), as τ² shows them.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import { parsePy } from '../py/parse.ts';
import { fromJs, isDict, isList, toJs, type PyDict, type PyValue } from '../py/value.ts';
import { ApiError } from './api-error.ts';
import { checkDeadline } from './deadline.ts';
import { requestKey } from './mcp-server.ts';
import { sessionCall, type Tau2Session, type Tau2SessionStore } from './tau2-store.ts';

type Side = 'assistant' | 'user';

function rpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), { status, headers: { 'Content-Type': 'application/json' } });
}

function serverFor(s: Tau2Session, side: Side, pending: Map<string, PyDict>): Server {
  const server = new Server({ name: side === 'user' ? 'tarl-tau2-user' : 'tarl-tau2', version: '0.1.0' }, { capabilities: { tools: {} } });
  const schemas = side === 'user' ? s.domain.world.userTools() : [...s.domain.world.agentTools(), ...(s.solo ? s.domain.world.userTools() : [])];
  const tools: McpTool[] = schemas.map((t) => ({ name: t.function.name, description: t.function.description, inputSchema: t.function.parameters as McpTool['inputSchema'] }));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra): CallToolResult => {
    const key = requestKey(extra.requestId);
    const stashed = pending.get(key);
    pending.delete(key);
    const raw = fromJs(request.params.arguments ?? {});
    const args = stashed ?? (isDict(raw) ? raw : new Map());
    const r = sessionCall(s, request.params.name, args, side);
    return { content: [{ type: 'text', text: r.observation }] };
  });
  return server;
}

function stash(body: PyValue, pending: Map<string, PyDict>): void {
  for (const msg of isList(body) ? body : [body]) {
    if (!isDict(msg) || msg.get('method') !== 'tools/call') continue;
    const id = msg.get('id');
    const params = msg.get('params');
    const args = isDict(params) ? params.get('arguments') : undefined;
    if ((typeof id === 'string' || typeof id === 'number') && isDict(args)) {
      if (pending.size >= 1024) pending.delete(pending.keys().next().value!);
      pending.set(requestKey(id), args);
    }
  }
}

export function tau2McpHandler(store: Tau2SessionStore, limitMs: number, side: Side): { handle: (c: Context) => Promise<Response>; closeAll: () => Promise<void> } {
  const entries = new Map<string, { transport: WebStandardStreamableHTTPServerTransport; pending: Map<string, PyDict> }>();

  async function handle(c: Context): Promise<Response> {
    const sid = c.req.header('mcp-session-id');
    const isPost = c.req.method === 'POST';
    const text = isPost ? await c.req.text() : '';
    if (isPost) checkDeadline(c, limitMs);
    let body: PyValue | undefined;
    if (isPost) {
      try {
        body = parsePy(text);
      } catch {
        return rpcError(400, -32700, 'Parse error: body is not valid JSON');
      }
    }
    if (sid !== undefined) {
      const entry = entries.get(sid);
      if (!entry) return rpcError(404, -32001, `Session not found: ${sid}`);
      if (body !== undefined) stash(body, entry.pending);
      return entry.transport.handleRequest(c.req.raw, body === undefined ? undefined : { parsedBody: toJs(body) });
    }
    if (!isPost || body === undefined || !isInitializeRequest(toJs(body))) {
      return rpcError(400, -32000, 'Bad Request: no mcp-session-id header; the first request must be a POST initialize');
    }
    const q = (k: string): string | undefined => c.req.query(k) || undefined;
    let session: Tau2Session;
    const attach = q('session');
    if (attach !== undefined) session = store.get(attach);
    else {
      const task = q('task');
      if (task !== undefined && !/^\d+$/.test(task)) throw new ApiError(400, 'invalid_request', `task must be a non-negative integer, not '${task}'`);
      session = store.create({ domain: q('domain'), split: q('split'), task: task === undefined ? undefined : Number(task), task_id: q('task_id'), seed: q('seed'), solo: ['1', 'true', 'yes'].includes(q('solo') ?? '') });
    }
    // The MCP session id names this side's transport; the world is the τ² session's.
    const mcpId = side === 'assistant' && attach === undefined ? session.id : `${session.id}:${side}:${entries.size}`;
    const pending = new Map<string, PyDict>();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => mcpId,
      enableJsonResponse: true,
      onsessionclosed: (id) => {
        entries.delete(id);
        if (id === session.id) store.delete(id);
      },
    });
    const server = serverFor(session, side, pending);
    entries.set(mcpId, { transport, pending });
    session.onClose.push(() => {
      entries.delete(mcpId);
      void server.close();
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: toJs(body) });
  }

  async function closeAll(): Promise<void> {
    await Promise.all([...entries.values()].map((e) => e.transport.close()));
    entries.clear();
  }
  return { handle, closeAll };
}
