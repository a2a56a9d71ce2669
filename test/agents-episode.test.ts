import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../src/agents/agent.ts';
import { agentKinds, createAgent, registerAgent, UnknownAgentError } from '../src/agents/registry.ts';
import { readTaubenchPolicy, readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { getDomain } from '../src/domains/registry.ts';
import { runEpisode } from '../src/episode/run-episode.ts';
import { parseModelSpecString } from '../src/llm/model-spec.ts';
import { toolDefinition } from '../src/sandbox/tool-schema.ts';
import type { UserSimulator } from '../src/users/user.ts';
import { Verifier } from '../src/verify/verifier.ts';
import { ScriptedLlmServer, text, toolCall, type Script } from './support/llm-server.ts';
import { taubenchDir } from './support/taubench.ts';

const TAU = taubenchDir();
const template = loadTaubenchWorld(TAU, 'retail');
const verifier = new Verifier(template);
const task = readTaubenchTasks(TAU, 'retail', 'test')[0]!;
const policy = readTaubenchPolicy(TAU, 'retail');
const tools = getDomain('retail').tools.map(toolDefinition);

/** Opens with the instruction, stops at the agent's first reply. */
const stopUser: UserSimulator = {
  name: 'stop-after-one',
  start: () => ({
    first: async () => ({ content: 'Hi, I am Yusuf Rossi, zip 19122.', stop: false }),
    reply: async () => ({ content: 'Thanks ###STOP###', stop: true }),
  }),
};

let server: ScriptedLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function episode(kind: string, script: Script) {
  server = await ScriptedLlmServer.start(script);
  const agent = createAgent(parseModelSpecString(`${kind}:model=m,base_url=${server.baseUrl},max_attempts=2`), { baseDelayMs: 1, maxDelayMs: 2 });
  return runEpisode({ task, template, verifier, agent, user: stopUser, policy, tools, trial: 0, seed: 1 });
}

describe('model-driven agents in the real episode loop and sandbox', () => {
  it('tool-calling: unknown tool, malformed arguments, a real lookup, then a reply', async () => {
    const t = await episode('tool-calling', [
      toolCall('delete_everything', {}),
      toolCall('find_user_id_by_name_zip', '{"first_name": "Yusuf", "last_name": "Rossi", "zip": 19122'),
      toolCall('find_user_id_by_name_zip', { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }),
      text('You are yusuf_rossi_9620.'),
    ]);
    expect(t.termination).toBe('user_stop');
    expect(t.steps.map((s) => s.observation ?? s.userReply)).toEqual([
      'Unknown action delete_everything',
      expect.stringMatching(/^Error: the arguments of find_user_id_by_name_zip are not valid JSON/),
      'yusuf_rossi_9620',
      'Thanks ###STOP###',
    ]);
    expect(t.steps[1]!.note).toMatch(/unparseable tool-call arguments/);
    expect(t.messages[0]).toEqual({ role: 'system', content: policy });
    expect(t.usage.agent.promptTokens).toBe(40);
  });

  it('react: the recorded system message is the one the model saw', async () => {
    const t = await episode('react', [text('Thought: greet\nAction: {"name": "respond", "arguments": {"content": "Hello Yusuf"}}')]);
    expect(t.termination).toBe('user_stop');
    expect(t.messages[0]!.content).toBe((server!.bodies[0]!.messages as { content: string }[])[0]!.content);
    expect(t.steps[0]!.action).toEqual({ type: 'respond', content: 'Hello Yusuf' });
  });

  it('an endpoint down past its budget ends the episode with the reason recorded', async () => {
    const t = await episode('tool-calling', () => ({ kind: 'status', status: 500 }));
    expect(t.termination).toBe('error');
    expect(t.error).toMatch(/LlmRetryBudgetError: .*failed after 2 attempt\(s\)/);
  });
});

describe('agent registry', () => {
  it('knows the model-driven kinds and explains what is missing', () => {
    expect(agentKinds()).toEqual(expect.arrayContaining(['tool-calling', 'act', 'react']));
    expect(() => createAgent({ kind: 'nope' })).toThrow(UnknownAgentError);
    expect(() => createAgent({ kind: 'nope' })).toThrow(/known: .*tool-calling/);
    expect(() => createAgent({ kind: 'tool-calling' })).toThrow(/needs a model \(--agent-model/);
  });

  it('accepts new kinds once', () => {
    const silent: Agent = { name: 'registry-test', start: () => ({ act: async () => ({ action: { type: 'respond', content: '' }, message: { role: 'assistant', content: '' } }) }) };
    registerAgent('registry-test', () => silent);
    expect(createAgent({ kind: 'registry-test' })).toBe(silent);
    expect(() => registerAgent('registry-test', () => silent)).toThrow(/already registered/);
  });
});
