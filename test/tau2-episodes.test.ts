/**
 * τ²-bench through the real episode loop (dual control): the oracle agent and the scripted
 * user perform telecom's gold actions on their own toolkits and score 1 on every base task;
 * one missing action scores 0. An LLM user (the local test server) calls its phone tools,
 * whose results reach the user alone.
 */
import { describe, expect, it } from 'vitest';
import { ToolCallingAgent } from '../src/agents/tool-calling.ts';
import { Tau2OracleAgent } from '../src/agents/tau2-oracle.ts';
import { loadTau2Tasks, loadTau2World, tasksOfSplit } from '../src/dataset/tau2.ts';
import { runTau2Episode } from '../src/episode/run-tau2-episode.ts';
import { ChatClient } from '../src/llm/client.ts';
import { Tau2LlmUser } from '../src/users/tau2-llm-user.ts';
import { Tau2ScriptedUser } from '../src/users/tau2-scripted.ts';
import { text, toolCall, withLlmServer } from './support/llm-server.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();
const world = loadTau2World(dir, 'telecom');
const base = tasksOfSplit(loadTau2Tasks(dir, 'telecom'), 'base');
const client = (baseUrl: string, model: string): ChatClient => new ChatClient({ model, baseUrl, retry: { maxAttempts: 1 }, timeoutMs: 5_000 });

describe('τ² ground truth through the dual-control episode loop', () => {
  it('scores 1 on every base task with the oracle agent and the scripted user', async () => {
    const failed: string[] = [];
    for (const task of base) {
      const t = await runTau2Episode({ world, task, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser(), trial: 0, seed: 0, split: 'base' });
      if (t.reward !== 1 || (t.termination !== 'agent_stop' && t.termination !== 'user_stop')) failed.push(`${task.id}: ${t.termination} ${JSON.stringify(t.tau2?.reward.components)}`);
    }
    expect(base).toHaveLength(114);
    expect(failed).toEqual([]);
  });

  it('airline, retail and banking: reward 1 on every task, except NL assertions left unscored without a judge', async () => {
    const expected = { airline: [50, 0], retail: [114, 40], banking_knowledge: [97, 1] } as const;
    for (const domain of ['airline', 'retail', 'banking_knowledge'] as const) {
      const w = loadTau2World(dir, domain);
      let ok = 0;
      let unscored = 0;
      const failed: string[] = [];
      for (const task of loadTau2Tasks(dir, domain).tasks) {
        const t = await runTau2Episode({ world: w, task, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser(), trial: 0, seed: 0 });
        const r = t.tau2!.reward;
        const onlyNl = r.unscored.length > 0 && r.rewardBasis.every((b) => b === 'NL_ASSERTION' || r.components[b] === 1);
        if (t.reward === 1) ok++;
        else if (onlyNl && r.reward === null) unscored++;
        else failed.push(`${domain} ${task.id}: ${t.termination} ${JSON.stringify(r.components)}`);
      }
      expect(failed).toEqual([]);
      expect([ok + unscored, unscored]).toEqual(expected[domain]);
    }
  });

  it('scores 0 when one agent-side gold action is missing', async () => {
    let runs = 0;
    const nonzero: string[] = [];
    for (const task of base) {
      const n = (task.criteria?.actions ?? []).filter((a) => a.requestor === 'assistant').length;
      for (let i = 0; i < n; i++) {
        runs++;
        const agent = new Tau2OracleAgent({ mutate: (a, j) => (j === i ? null : a) });
        const t = await runTau2Episode({ world, task, agent, user: new Tau2ScriptedUser(), trial: 0, seed: 0 });
        if (t.reward !== 0) nonzero.push(`${task.id} without agent action ${i}`);
      }
    }
    expect(runs).toBe(123);
    expect(nonzero).toEqual([]);
  });

  it('scores 0 when the user skips or botches one of its gold actions (except a redundant reboot)', async () => {
    let runs = 0;
    const nonzero: string[] = [];
    for (const task of base) {
      const user = (task.criteria?.actions ?? []).filter((a) => a.requestor === 'user');
      for (let i = 0; i < user.length; i++) {
        runs++;
        const skip = await runTau2Episode({ world, task, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser({ mutate: (a, j) => (j === i ? null : a) }), trial: 0, seed: 0 });
        if (skip.reward !== 0) nonzero.push(`${task.id} without user action ${i} (${user[i]!.name})`);
      }
    }
    // The only user actions τ²'s gold can do without are some reboot_device calls: a task whose
    // gold reboots twice needs only one, and in two overdue-bill tasks the line comes back on its
    // own search (reseat) after the agent resumes it. Every other missing user action scores 0.
    expect(runs).toBe(393);
    expect(nonzero.every((n) => n.endsWith('(reboot_device)'))).toBe(true);
    expect(nonzero).toHaveLength(7);
    // A wrong action instead of the right one: toggling airplane mode on in place of the first fix.
    const task = base.find((t) => (t.criteria?.actions ?? []).some((a) => a.requestor === 'user' && a.name === 'toggle_data'))!;
    const wrong = await runTau2Episode({
      world,
      task,
      agent: new Tau2OracleAgent(),
      user: new Tau2ScriptedUser({ mutate: (a) => (a.name === 'toggle_data' ? { ...a, name: 'toggle_airplane_mode' } : a) }),
      trial: 0,
      seed: 0,
    });
    expect(wrong.reward).toBe(0);
  });

  it('routes an LLM user’s tool calls to the user toolkit and returns the results to the user only', async () => {
    const task = base.find((t) => (t.criteria?.actions ?? []).some((a) => a.requestor === 'user' && a.name === 'toggle_airplane_mode'))!;
    await withLlmServer(
      [toolCall('check_status_bar', {}, 'u1'), text('My phone shows airplane mode. Can you help?'), toolCall('toggle_airplane_mode', {}, 'u2'), text('Done, airplane mode is off. ###STOP###')],
      async (userSrv) => {
        await withLlmServer([text('Please turn airplane mode off.'), text('Anything else?')], async (agentSrv) => {
          const t = await runTau2Episode({
            world,
            task,
            agent: new ToolCallingAgent(client(agentSrv.baseUrl, 'agent-model')),
            user: new Tau2LlmUser(client(userSrv.baseUrl, 'user-model')),
            trial: 0,
            seed: 0,
          });
          expect(t.termination).toBe('user_stop');
          const tau2 = t.tau2!.messages;
          const userTools = tau2.filter((m) => m.role === 'tool');
          expect(userTools.map((m) => m.role === 'tool' && m.requestor)).toEqual(['user', 'user']);
          expect(userTools[0]!.role === 'tool' && userTools[0]!.content).toMatch(/^Status Bar: ✈️ Airplane Mode/);
          expect(userTools[1]!.role === 'tool' && userTools[1]!.content).toMatch(/^Airplane Mode is now OFF\./);
          // The agent never sees a tool message; it sees only what the user said.
          expect(t.messages.filter((m) => m.role === 'tool')).toEqual([]);
          expect(t.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
            'My phone shows airplane mode. Can you help?',
            'Done, airplane mode is off. ###STOP###',
          ]);
          // The user model got its tool's result back, under the user tools it was offered.
          const second = userSrv.bodies[1]!;
          expect((second.tools as { function: { name: string } }[]).map((x) => x.function.name)).toContain('toggle_airplane_mode');
          const msgs = second.messages as { role: string; content: string | null; tool_call_id?: string }[];
          expect(msgs.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'u1' });
          expect(msgs.at(-1)!.content).toMatch(/^Status Bar/);
          // The agent model was offered the agent's tools only.
          const agentTools = (agentSrv.bodies[0]!.tools as { function: { name: string } }[]).map((x) => x.function.name);
          expect(agentTools).toContain('get_customer_by_phone');
          expect(agentTools).not.toContain('toggle_airplane_mode');
        });
      },
    );
  });
});

describe('telecom solo mode', () => {
  it('the oracle alone, with both toolkits and the ticket, scores 1 on every base task; one skipped phone action scores 0', async () => {
    const failed: string[] = [];
    let seen: { policy: string; tools: string[] } | undefined;
    const spy = new Tau2OracleAgent();
    const agent = {
      name: spy.name,
      start: (ctx: Parameters<Tau2OracleAgent['start']>[0]) => {
        seen ??= { policy: ctx.policy, tools: ctx.tools.map((t) => t.function.name) };
        return spy.start(ctx);
      },
    };
    for (const task of base) {
      const t = await runTau2Episode({ world, task, agent, solo: true, trial: 0, seed: 0 });
      if (t.reward !== 1 || t.termination !== 'agent_stop') failed.push(`${task.id}: ${t.termination} ${JSON.stringify(t.tau2?.reward.components)}`);
    }
    expect(failed).toEqual([]);
    expect(seen!.policy).toContain(`<ticket>\n${base[0]!.ticket}\n</ticket>`);
    expect(seen!.tools).toEqual(expect.arrayContaining(['get_customer_by_phone', 'toggle_airplane_mode', 'check_status_bar']));
    const task = base.find((t) => (t.criteria?.actions ?? []).some((a) => a.requestor === 'user'))!;
    const skip = (task.criteria?.actions ?? []).findIndex((a) => a.requestor === 'user');
    const t = await runTau2Episode({ world, task, agent: new Tau2OracleAgent({ mutate: (a, i) => (i === skip ? null : a) }), solo: true, trial: 0, seed: 0 });
    expect(t.reward).toBe(0);
  });

  it('a text without ###STOP### ends a solo episode as an agent error', async () => {
    const talker = { name: 'talker', start: () => ({ act: () => Promise.resolve({ action: { type: 'respond' as const, content: 'Let me check.' }, message: { role: 'assistant' as const, content: 'Let me check.' } }) }) };
    const t = await runTau2Episode({ world, task: base[0]!, agent: talker, solo: true, trial: 0, seed: 0 });
    expect(t.tau2?.termination).toBe('agent_error');
    expect(t.reward).toBe(0);
  });
});
