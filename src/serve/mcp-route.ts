import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Context } from 'hono';
import { parsePy } from '../py/parse.ts';
import { isDict, isList, toJs, type PyValue } from '../py/value.ts';
import { ApiError } from './api-error.ts';
import { checkDeadline } from './deadline.ts';
import { mcpServerFor, requestKey, type PendingArguments } from './mcp-server.ts';
import type { SessionSpec, SessionStore } from './session-store.ts';

const MAX_PENDING = 1024;

interface McpEntry {
  transport: WebStandardStreamableHTTPServerTransport;
  pending: PendingArguments;
}

/** A JSON-RPC error response, as Streamable HTTP clients expect for transport-level failures. */
function rpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/**
 * MCP over Streamable HTTP at `/mcp`. Each MCP session owns one world, chosen by the query of
 * the `initialize` request (`/mcp?split=test&task=12`, `&seed=…`, `&domain=…`, `&verify=1`);
 * the MCP session id is the service's session id, so REST `/v1/sessions/{id}/…` sees the same world.
 */
export function mcpHandler(store: SessionStore, limitMs: number): { handle: (c: Context) => Promise<Response>; closeAll: () => Promise<void> } {
  const entries = new Map<string, McpEntry>();

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
      if (!entry || !store.has(sid)) return rpcError(404, -32001, `Session not found: ${sid}`);
      store.get(sid);
      if (body !== undefined) stashArguments(body, entry.pending);
      return entry.transport.handleRequest(c.req.raw, body === undefined ? undefined : { parsedBody: toJs(body) });
    }
    if (!isPost || body === undefined || !isInitializeRequest(toJs(body))) {
      return rpcError(400, -32000, 'Bad Request: no mcp-session-id header; the first request must be a POST initialize');
    }
    const session = store.create(specFromQuery(c));
    const pending: PendingArguments = new Map();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => session.id,
      // One JSON response per request: no SSE stream to hold open for plain tool calls.
      enableJsonResponse: true,
      onsessionclosed: (id) => {
        store.delete(id);
      },
    });
    const server = mcpServerFor(session, { verify: flag(c.req.query('verify')) }, pending);
    entries.set(session.id, { transport, pending });
    session.onClose.push(() => {
      entries.delete(session.id);
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

/**
 * Keeps the lossless arguments of each `tools/call` in the body (the SDK re-parses with
 * JSON.parse, which turns `100.0` into `100`); the call handler takes them by request id.
 */
function stashArguments(body: PyValue, pending: PendingArguments): void {
  for (const msg of isList(body) ? body : [body]) {
    if (!isDict(msg) || msg.get('method') !== 'tools/call') continue;
    const id = msg.get('id');
    const params = msg.get('params');
    const args = isDict(params) ? params.get('arguments') : undefined;
    const named = isDict(params) && typeof params.get('name') === 'string';
    if ((typeof id === 'string' || typeof id === 'number') && named && isDict(args)) {
      // Bounded: a request the SDK rejects before our handler runs never collects its entry.
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
      pending.set(requestKey(id), args);
    }
  }
}

function flag(v: string | undefined): boolean {
  return v === '1' || v === 'true' || v === 'yes';
}

function specFromQuery(c: Context): SessionSpec {
  const q = (k: string): string | undefined => c.req.query(k) || undefined;
  const task = q('task');
  if (task !== undefined && !/^\d+$/.test(task)) throw new ApiError(400, 'invalid_request', `task must be a non-negative integer, not '${task}'`);
  return { domain: q('domain'), split: q('split'), task: task === undefined ? undefined : Number(task), seed: q('seed') };
}
