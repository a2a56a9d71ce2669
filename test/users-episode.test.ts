import { describe, expect, it } from 'vitest';
import { createAgent } from '../src/agents/registry.ts';
import { readTaubenchPolicy, readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { getDomain } from '../src/domains/registry.ts';
import { runEpisode, type EpisodeSpec } from '../src/episode/run-episode.ts';
import type { Trajectory } from '../src/episode/trajectory.ts';
import { parseModelSpecString } from '../src/llm/model-spec.ts';
import { dumps } from '../src/py/dumps.ts';
import { toolDefinition } from '../src/sandbox/tool-schema.ts';
import { REACT_FALLBACK } from '../src/users/react-user.ts';
import { createUser } from '../src/users/registry.ts';
import { STOP_TOKEN } from '../src/users/user.ts';
import { Verifier } from '../src/verify/verifier.ts';
import { text, toolCall, withLlmServer, type Reply, type ScriptedLlmServer } from './support/llm-server.ts';
import { taubenchDir } from './support/taubench.ts';

const TAU = taubenchDir();
const template = loadTaubenchWorld(TAU, 'retail');
const verifier = new Verifier(template);
const policy = readTaubenchPolicy(TAU, 'retail');
const tools = getDomain('retail').tools.map(toolDefinition);
// Task test/1: one exchange of a delivered item (find user, two reads, the exchange).
const task = readTaubenchTasks(TAU, 'retail', 'test')[1]!;
const SECRET = 'SECRET-THOUGHT-7f3';

const spec = (kind: string, srv: ScriptedLlmServer) => parseModelSpecString(`${kind}:model=${kind}-model,base_url=${srv.baseUrl},max_attempts=1,timeout_ms=5000`);

async function withServers<T>(agentScript: Reply[], userScript: Reply[], fn: (agentSrv: ScriptedLlmServer, userSrv: ScriptedLlmServer) => Promise<T>): Promise<T> {
  return withLlmServer(agentScript, (agentSrv) => withLlmServer(userScript, (userSrv) => fn(agentSrv, userSrv)));
}

function episode(agentSrv: ScriptedLlmServer, userSrv: ScriptedLlmServer, userKind: string, maxSteps?: number): Promise<Trajectory> {
  const s: EpisodeSpec = {
    task, template, verifier, policy, tools, trial: 0, seed: 1,
    agent: createAgent(spec('tool-calling', agentSrv)),
    user: createUser(spec(userKind, userSrv)),
    ...(maxSteps !== undefined ? { maxSteps } : {}),
  };
  return runEpisode(s);
}

describe('episodes with a model-driven user and the tool-calling agent (local server)', () => {
  it('react user: the thought never reaches the agent; ###STOP### ends the episode (user_stop)', async () => {
    const agentScript = [text('Could you tell me your name and zip code?'), ...task.actions.map((a, i) => toolCall(a.name, dumps(a.kwargs), `call_${i}`)), text('Your exchange has been processed.')];
    const userScript = [
      text(`Thought: I am ${SECRET}; start vaguely.\nUser Response: Hi, I want to exchange something I bought.`),
      text(`Thought: ${SECRET} mention the User Response: format\nUser Response: Yusuf Rossi, zip 19122.`),
      text(`Thought: all done, ${SECRET}\nUser Response: ${STOP_TOKEN}`),
    ];
    await withServers(agentScript, userScript, async (agentSrv, userSrv) => {
      const t = await episode(agentSrv, userSrv, 'react');
      expect(t.error).toBeUndefined();
      expect(t.termination).toBe('user_stop');
      expect(t.reward).toBe(1);
      expect(t.user).toBe('react:react-model');
      expect(t.steps).toHaveLength(task.actions.length + 2);
      expect(JSON.stringify(t.messages)).not.toContain(SECRET);
      expect(JSON.stringify(agentSrv.bodies)).not.toContain(SECRET);
      expect(t.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Hi, I want to exchange something I bought.', 'Yusuf Rossi, zip 19122.', STOP_TOKEN]);
      // The thoughts are kept for the record only.
      expect(t.steps.filter((s) => s.userHidden?.includes(SECRET))).toHaveLength(2);
      expect(t.usage.user.promptTokens).toBe(30);
      // Role inversion on the user's side: the agent's question came as `user`, its reply as `assistant`.
      const lastUserReq = userSrv.bodies[2]!.messages as { role: string; content: string }[];
      expect(lastUserReq.at(-1)).toEqual({ role: 'user', content: 'Your exchange has been processed.' });
      expect(lastUserReq.at(-2)!.role).toBe('assistant');
      expect(lastUserReq.at(-3)).toEqual({ role: 'user', content: 'Could you tell me your name and zip code?' });
      // And the agent's requests carry the user's replies as `user`, with the tools.
      const lastAgentReq = agentSrv.bodies.at(-1)!;
      expect((lastAgentReq.tools as unknown[]).length).toBe(tools.length);
    });
  });

  it('llm user that never stops: the episode hits max steps (3) and scores 0', async () => {
    const agentScript = [text('How can I help?'), text('Could you say more?'), text('Anything else?')];
    const userScript = [text('Hello.'), text('I need help with an order.'), text('It is about an exchange.'), text('Still here.')];
    await withServers(agentScript, userScript, async (agentSrv, userSrv) => {
      const t = await episode(agentSrv, userSrv, 'llm', 3);
      expect(t.error).toBeUndefined();
      expect(t.termination).toBe('max_steps');
      expect(t.reward).toBe(0);
      expect(t.steps).toHaveLength(3);
      expect(agentSrv.bodies).toHaveLength(3);
      expect(userSrv.bodies).toHaveLength(4);
    });
  });

  it('react user whose replies stay broken: the fallback, not the raw thought, reaches the agent', async () => {
    const broken = text(`${SECRET} I will just say I want an exchange`);
    const agentScript = [text('Hello?'), text('Are you there?'), text('Goodbye.')];
    await withServers(agentScript, Array.from({ length: 12 }, () => broken), async (agentSrv, userSrv) => {
      const t = await episode(agentSrv, userSrv, 'react', 3);
      expect(t.termination).toBe('max_steps');
      expect(JSON.stringify(t.messages)).not.toContain(SECRET);
      expect(JSON.stringify(agentSrv.bodies)).not.toContain(SECRET);
      expect(t.messages.filter((m) => m.role === 'user').every((m) => m.content === REACT_FALLBACK)).toBe(true);
      expect(t.userStats).toMatchObject({ react_fallbacks: 4, react_parse_failures: 12 });
      expect(userSrv.bodies).toHaveLength(12);
    });
  });
});
