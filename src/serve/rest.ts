import { Hono } from 'hono';
import { isDict } from '../py/value.ts';
import { ApiError } from './api-error.ts';
import { callArguments, readBody } from './body.ts';
import { CallRequest, CreateSessionRequest, VerifyRequest } from './schemas.ts';
import { callTool, changesJson, sessionInfo, verifySession } from './session-ops.ts';
import type { SessionStore } from './session-store.ts';

/**
 * The REST API under `/v1`. Which layer answers what: HTTP status codes describe the request
 * (auth, body, session, route); once a tool call reaches a session it always answers 200 with
 * the observation, including τ-bench's `Unknown action X` and `Error: …` texts, because those
 * are what the model must see.
 */
export function restRoutes(store: SessionStore, limitMs: number): Hono {
  const api = new Hono();

  api.get('/health', (c) => c.json({ ok: true, sessions: store.size, domains: store.domains.map((d) => d.name) }));

  api.post('/sessions', async (c) => {
    const { value } = await readBody(c, CreateSessionRequest, limitMs);
    const session = store.create(value);
    return c.json(sessionInfo(session), 201, { Location: `/v1/sessions/${session.id}` });
  });

  api.get('/sessions/:id', (c) => c.json(sessionInfo(store.get(c.req.param('id')))));

  api.delete('/sessions/:id', (c) => {
    if (!store.delete(c.req.param('id'))) store.get(c.req.param('id'));
    return c.body(null, 204);
  });

  api.get('/sessions/:id/policy', (c) => {
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    return c.body(store.get(c.req.param('id')).domain.policy);
  });

  api.get('/sessions/:id/tools', (c) => {
    const s = store.get(c.req.param('id'));
    return c.json({ tools: s.domain.tools });
  });

  api.get('/sessions/:id/tools/:name', (c) => {
    const s = store.get(c.req.param('id'));
    const name = c.req.param('name');
    const tool = s.domain.tools.find((t) => t.function.name === name);
    if (!tool) throw new ApiError(404, 'unknown_tool', `domain '${s.domain.name}' has no tool '${name}'`);
    return c.json(tool);
  });

  api.post('/sessions/:id/calls', async (c) => {
    store.get(c.req.param('id'));
    const { py, value } = await readBody(c, CallRequest, limitMs);
    // Looked up again after the body arrived: the session may have been deleted meanwhile.
    const s = store.get(c.req.param('id'));
    const kwargs = callArguments(isDict(py) ? py.get('arguments') : undefined);
    return c.json({ observation: callTool(s, value.name, kwargs) });
  });

  api.get('/sessions/:id/changes', (c) => {
    const s = store.get(c.req.param('id'));
    c.header('Content-Type', 'application/json');
    return c.body(changesJson(s));
  });

  api.post('/sessions/:id/verify', async (c) => {
    store.get(c.req.param('id'));
    const { value } = await readBody(c, VerifyRequest, limitMs);
    const s = store.get(c.req.param('id'));
    return c.json(verifySession(s, value.agent_messages, value.mode));
  });

  return api;
}
