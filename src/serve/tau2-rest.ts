/**
 * `/v1` for τ²-bench worlds: sessions, agent tools and user tools on their own routes,
 * state hashes, evaluation with τ²'s reward, and the gym step API (docs/tau2.md).
 *
 *   POST   /v1/sessions                      {domain?, split?, task? | task_id? | seed?, solo?}
 *   GET    /v1/sessions/{id}                 task, hashes, calls so far
 *   POST   /v1/sessions/{id}/tools/{name}    {arguments}  agent-side call (requestor "assistant")
 *   POST   /v1/sessions/{id}/user-tools/{name} {arguments} user-side call (requestor "user")
 *   POST   /v1/sessions/{id}/evaluate        {agent_messages?, termination?}  τ²'s reward
 *   DELETE /v1/sessions/{id}
 *   GET    /v1/tools?domain=  /v1/user-tools?domain=   the published schemas
 *   POST   /v1/gym/reset  POST /v1/gym/{id}/step  GET /v1/gym/{id}  DELETE /v1/gym/{id}
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Tau2GymEnv, type GymAction } from '../gym/tau2-gym.ts';
import { modelSpecFromConfig } from '../llm/model-spec.ts';
import { chatClientFromSpec } from '../llm/spec-client.ts';
import { isDict, type PyValue } from '../py/value.ts';
import { Tau2LlmUser } from '../users/tau2-llm-user.ts';
import { Tau2ScriptedUser } from '../users/tau2-scripted.ts';
import type { Tau2UserSimulator } from '../users/tau2-user.ts';
import { evaluateTau2 } from '../verify/tau2-reward.ts';
import { ApiError } from './api-error.ts';
import { callArguments, readBody } from './body.ts';
import { sessionCall, type Tau2Session, type Tau2SessionStore } from './tau2-store.ts';

const SessionRequest = z.object({
  domain: z.string().optional(),
  split: z.string().optional(),
  task: z.int().nonnegative().optional(),
  task_id: z.string().optional(),
  seed: z.union([z.string(), z.int()]).optional(),
  solo: z.boolean().optional(),
});

const CallRequest = z.object({ arguments: z.unknown().optional() });

const EvaluateRequest = z.object({
  /** What the agent said to the user, in order (tool calls are the session's own record). */
  agent_messages: z.array(z.string()).default([]),
  termination: z.enum(['agent_stop', 'user_stop', 'max_steps', 'too_many_errors', 'agent_error', 'user_error']).default('agent_stop'),
});

const GymReset = SessionRequest.extend({
  /** `scripted` (gold user actions) or a model spec such as `llm:model=gpt-4.1,base_url=…`. */
  user: z.string().default('scripted'),
  max_steps: z.int().positive().optional(),
  max_errors: z.int().positive().optional(),
});

const GymStep = z.object({
  action: z.union([
    z.object({ type: z.literal('tool'), name: z.string(), arguments: z.unknown().optional(), id: z.string().optional() }),
    z.object({ type: z.literal('message'), content: z.string() }),
  ]),
});

function sessionView(s: Tau2Session): Record<string, unknown> {
  return {
    session_id: s.id,
    domain: s.domain.name,
    task_id: s.task?.id ?? null,
    solo: s.solo,
    db_hash: s.env.dbHash(),
    user_db_hash: s.env.userDbHash(),
    calls: s.messages.filter((m) => m.role !== 'tool').length,
  };
}

function userFor(spec: string): Tau2UserSimulator {
  if (spec === 'scripted') return new Tau2ScriptedUser();
  const m = modelSpecFromConfig(spec);
  if (m.kind !== 'llm' || !m.llm) throw new ApiError(400, 'invalid_request', `user must be 'scripted' or 'llm:model=…' (got '${spec}')`);
  return new Tau2LlmUser(chatClientFromSpec(m.llm));
}

export function tau2RestRoutes(store: Tau2SessionStore, limitMs: number): Hono {
  const r = new Hono();
  r.get('/health', (c) => c.json({ ok: true, benchmark: 'tau2', domains: store.domains.map((d) => d.name), sessions: store.size }));
  r.get('/domains', (c) =>
    c.json(store.domains.map((d) => ({ name: d.name, splits: Object.fromEntries([...d.splits].map(([k, v]) => [k, v.length])), user_tools: d.world.userTools().length > 0 }))),
  );
  r.get('/tools', (c) => c.json(store.domainOf(c.req.query('domain')).world.agentTools()));
  r.get('/user-tools', (c) => c.json(store.domainOf(c.req.query('domain')).world.userTools()));

  r.post('/sessions', async (c) => {
    const { value } = await readBody(c, SessionRequest, limitMs);
    const s = store.create(value);
    return c.json({ ...sessionView(s), policy: s.domain.world.policy({ soloMode: s.solo }), tools: s.domain.world.agentTools(), user_tools: s.domain.world.userTools() }, 201);
  });
  r.get('/sessions/:id', (c) => c.json(sessionView(store.get(c.req.param('id')))));
  r.delete('/sessions/:id', (c) => (store.delete(c.req.param('id')) ? c.body(null, 204) : c.json({ error: { code: 'unknown_session', message: 'no such session' } }, 404)));

  const call = (requestor: 'user' | 'assistant') => async (c: Context) => {
    const s = store.get(c.req.param('id')!);
    const { py } = await readBody(c, CallRequest, limitMs);
    const args = callArguments(isDict(py) ? (py.get('arguments') as PyValue | undefined) : undefined);
    return c.json(sessionCall(s, c.req.param('name')!, args, requestor));
  };
  r.post('/sessions/:id/tools/:name', call('assistant'));
  r.post('/sessions/:id/user-tools/:name', call('user'));

  r.post('/sessions/:id/evaluate', async (c) => {
    const s = store.get(c.req.param('id'));
    if (!s.task) throw new ApiError(409, 'no_task', 'this session was created without a task: nothing to evaluate against');
    const { value } = await readBody(c, EvaluateRequest, limitMs);
    const messages = [...s.messages, ...value.agent_messages.map((content) => ({ role: 'assistant' as const, content }))];
    const info = await evaluateTau2(s.domain.world, s.task, messages, { termination: value.termination, ...(s.solo && { environment: { soloMode: true } }) });
    return c.json(info);
  });

  // --- gym
  r.post('/gym/reset', async (c) => {
    const { value } = await readBody(c, GymReset, limitMs);
    const { domain, task } = store.resolve(value);
    if (!task) throw new ApiError(400, 'bad_request', "gym reset needs a task: 'task', 'task_id' or 'seed'");
    const gym = new Tau2GymEnv({
      world: domain.world,
      task,
      ...(value.solo ? { solo: true } : { user: userFor(value.user) }),
      ...(value.max_steps !== undefined && { maxSteps: value.max_steps }),
      ...(value.max_errors !== undefined && { maxErrors: value.max_errors }),
    });
    const s = store.create(value, { gym });
    const res = await gym.reset();
    return c.json({ env_id: s.id, observation: res.observation, info: res.info }, 201);
  });
  r.post('/gym/:id/step', async (c) => {
    const s = store.get(c.req.param('id'));
    if (!s.gym) throw new ApiError(409, 'not_a_gym', `session '${s.id}' was not created by /v1/gym/reset`);
    const { py, value } = await readBody(c, GymStep, limitMs);
    const a = value.action;
    let action: GymAction;
    if (a.type === 'tool') {
      const raw = isDict(py) && isDict(py.get('action')) ? (py.get('action') as Map<string, PyValue>).get('arguments') : undefined;
      action = { type: 'tool', name: a.name, arguments: callArguments(raw), ...(a.id !== undefined && { id: a.id }) };
    } else action = a;
    const res = await s.gym.step(action);
    return c.json(res);
  });
  r.get('/gym/:id', (c) => {
    const s = store.get(c.req.param('id'));
    return c.json({ env_id: s.id, finished: s.gym?.finished ?? false, conversation: s.gym?.conversation.length ?? 0 });
  });
  r.delete('/gym/:id', (c) => (store.delete(c.req.param('id')) ? c.body(null, 204) : c.json({ error: { code: 'unknown_session', message: 'no such env' } }, 404)));
  return r;
}
