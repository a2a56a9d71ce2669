import { describe, expect, it } from 'vitest';
import { OracleAgent } from '../src/agents/oracle.ts';
import { createAgent } from '../src/agents/registry.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { TAUBENCH_DOMAINS } from '../src/domains/domain.ts';
import { getDomain } from '../src/domains/registry.ts';
import { MAX_STEPS, runEpisode } from '../src/episode/run-episode.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import { modelSpecFromConfig } from '../src/llm/model-spec.ts';
import { dumps } from '../src/py/dumps.ts';
import { createUser } from '../src/users/registry.ts';
import { intentOf, ScriptedUser } from '../src/users/scripted.ts';

const TASKS = 500;

// The starter store has its own, stricter suite: test/starter-episodes.test.ts.
describe.each(TAUBENCH_DOMAINS)('oracle agent + scripted user on %s', (domain) => {
  const suite = buildSuite(domain, TASKS, 7);
  const writes = new Set(getDomain(domain).tools.filter((t) => t.kind === 'write').map((t) => t.name));
  const spec = (i: number, seed = 3) => ({ task: suite.tasks[i]!, template: suite.template, verifier: suite.verifier, agent: new OracleAgent(), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed });

  it(`passes all ${TASKS} generated tasks through the full loop (verifier outcome)`, async () => {
    const out = await runEpisodes(suite.tasks.map((_, i) => spec(i)), { concurrency: 4 });
    expect(out).toHaveLength(TASKS);
    const failed = out.filter((t) => t.reward !== 1).map((t) => `${t.taskId} ${t.termination} ${t.error ?? ''} diff=${t.rewardInfo?.diff.length}`);
    expect(failed).toEqual([]);
    for (const t of out) {
      expect(['user_stop', 'agent_transfer']).toContain(t.termination);
      expect(t.steps.length).toBeLessThan(MAX_STEPS);
      expect(t.userStats).toMatchObject({ clarifications: 0, refusals: 0 });
    }
    // The user never says what its intent does not hold: not its user id (unless it identifies
    // by it), not an order id it does not know.
    for (const t of out) {
      const task = suite.tasks.find((x) => x.id === t.taskId)!;
      const intent = intentOf(task);
      const known = JSON.stringify(intent);
      const secrets = [task.userId, ...task.actions.flatMap((a) => [a.kwargs.get('order_id'), a.kwargs.get('reservation_id')])].filter((x): x is string => typeof x === 'string' && !known.includes(x));
      const said = t.messages.filter((m) => m.role === 'user').map((m) => m.content ?? '').join('\n');
      for (const secret of secrets) expect(said).not.toContain(secret);
    }
    // It transfers exactly where the ground truth does, and nowhere else.
    const transfers = suite.tasks.filter((t) => t.actions.some((a) => a.name === 'transfer_to_human_agents')).length;
    expect(transfers).toBeGreaterThan(0);
    expect(out.filter((t) => t.termination === 'agent_transfer')).toHaveLength(transfers);
   }, 180_000);

  it('identifies the user first, gets a yes before every write, and calls with the exact ground-truth kwargs', async () => {
    for (let i = 0; i < 80; i++) {
      const t = await runEpisode(spec(i));
      const task = suite.tasks[i]!;
      const calls = t.steps.flatMap((s) => (s.action.type === 'tool' ? [`${s.action.name} ${s.action.arguments}`] : []));
      expect(calls).toEqual(task.actions.map((a) => `${a.name} ${dumps(a.kwargs)}`));
      const first = t.steps[0]!.action;
      expect(first.type === 'respond' && /verify your identity/.test(first.content)).toBe(true);
      t.steps.forEach((s, k) => {
        if (s.action.type !== 'tool' || !writes.has(s.action.name)) return;
        const before = t.steps[k - 1]!;
        expect(before.action.type === 'respond' && /Do you confirm/.test(before.action.content)).toBe(true);
        expect(before.userReply).toMatch(/^Yes/);
      });
    }
  });

  it('is deterministic per seed', async () => {
    for (const i of [0, 1, 2, 3]) {
      const a = await runEpisode(spec(i, 11));
      const b = await runEpisode(spec(i, 11));
      expect(b.messages).toEqual(a.messages);
    }
  });
});

describe('registries', () => {
  it('build the oracle and flawed agents and the scripted user by name', () => {
    expect(createAgent(modelSpecFromConfig('oracle')).name).toBe('oracle');
    expect(createAgent(modelSpecFromConfig('flawed')).name).toBe('flawed');
    expect(createUser('scripted').name).toBe('scripted');
    expect(() => createUser('scripted:model=gpt-4o')).toThrow(/takes no model/);
  });
});
