import { describe, expect, it } from 'vitest';
import type { Agent, AgentStep } from '../src/agents/agent.ts';
import { OracleAgent } from '../src/agents/oracle.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import type { ChatMessage } from '../src/chat/messages.ts';
import { isConfirmation } from '../src/dialogue/confirmation.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import { judgeView } from '../src/judge/judge.ts';
import { OracleJudge } from '../src/judge/oracle-judge.ts';
import { dumps } from '../src/py/dumps.ts';
import { ScriptedUser } from '../src/users/scripted.ts';

/**
 * An agent that skips the proposal: it makes the task's ground-truth calls straight away, then
 * says it is done — the shortcut RL found when only the database was checked (docs/demo.md).
 */
const hasty: Agent = {
  name: 'hasty',
  start: ({ task }) => {
    let next = 0;
    return {
      act: async (): Promise<AgentStep> => {
        const a = task.actions[next++];
        if (!a) return { action: { type: 'respond', content: 'Done. Anything else?' }, message: { role: 'assistant', content: 'Done. Anything else?' } };
        const callId = `call_${next}`;
        const message: Extract<ChatMessage, { role: 'assistant' }> = {
          role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: a.name, arguments: dumps(a.kwargs) } }],
        };
        return { action: { type: 'tool', name: a.name, kwargs: a.kwargs, callId }, message };
      },
    };
  },
};

describe('explicit confirmation before a write', () => {
  it('reads the scripted user’s yes and the usual ways LLM users say it, and nothing else, as a confirmation', () => {
    for (const yes of ['Yes.', 'Yes, go ahead.', 'yes please', 'Yeah, do it', 'Sure.', 'OK, go ahead.', 'That is right, please proceed.', 'I confirm.', 'Correct, go ahead.']) {
      expect(isConfirmation(yes), yes).toBe(true);
    }
    for (const no of [
      'No, that is not what I asked.', "No. Don't do that.", 'I still need this: I want to return order #514.', 'Sorry, I don’t follow.',
      "That's not correct.", 'Wait, is the refund right?', 'My user id is u23.', '',
    ]) {
      expect(isConfirmation(no), no).toBe(false);
    }
  });

  const suite = buildSuite('starter', 60, 5);
  const writeTasks = suite.tasks.filter((t) => t.actions.some((a) => a.name === 'cancel_order' || a.name === 'return_order'));
  const specs = (agent: Agent) =>
    writeTasks.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent, user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 3 }));

  it('fails a starter episode whose write came without a yes, names the write, and the oracle judge blames that turn', async () => {
    expect(writeTasks.length).toBeGreaterThan(5);
    const hastyRuns = await runEpisodes(specs(hasty), { concurrency: 4 });
    const judge = new OracleJudge();
    for (const t of hastyRuns) {
      const task = writeTasks.find((x) => x.id === t.taskId)!;
      const writes = task.actions.flatMap((a, turn) => (a.name === 'cancel_order' || a.name === 'return_order' ? [{ turn, name: a.name }] : []));
      // The database is what the ground truth leaves, yet the episode fails.
      expect(t.rewardInfo?.dbMatch, t.taskId).toBe(true);
      expect(t.reward, t.taskId).toBe(0);
      expect(t.rewardInfo?.unconfirmed).toEqual(writes);
      const r = await judge.judge({ task, policy: '', trajectory: judgeView(t) });
      const worst = r.verdicts.find((v) => v.score === -1)!;
      expect(worst.turn).toBe(writes[0]!.turn);
      expect(worst.rationale).toMatch(/^unconfirmed_write:/);
    }
  }, 60_000);

  it('passes the oracle agent, which proposes and waits for the yes, with no unconfirmed write and no −1', async () => {
    const runs = await runEpisodes(specs(new OracleAgent()), { concurrency: 4 });
    const judge = new OracleJudge();
    for (const t of runs) {
      expect(t.reward, t.taskId).toBe(1);
      expect(t.rewardInfo?.unconfirmed).toEqual([]);
      const task = writeTasks.find((x) => x.id === t.taskId)!;
      const r = await judge.judge({ task, policy: '', trajectory: judgeView(t) });
      expect(r.verdicts.every((v) => v.score === 1), t.taskId).toBe(true);
    }
  }, 60_000);

  it('leaves τ-bench’s database-only reward alone in its worlds (retail: the hasty writes still pass)', async () => {
    const retail = buildSuite('retail', 30, 5);
    const tasks = retail.tasks.filter((t) => t.actions.some((a) => a.name.startsWith('cancel_pending_order')));
    expect(tasks.length).toBeGreaterThan(0);
    const runs = await runEpisodes(
      tasks.map((task) => ({ task, template: retail.template, verifier: retail.verifier, agent: hasty, user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 3 })),
      { concurrency: 4 },
    );
    for (const t of runs) {
      expect(t.rewardInfo?.unconfirmed).toBeUndefined();
      expect(t.reward, t.taskId).toBe(t.rewardInfo?.dbMatch && t.rewardInfo.outputs.every((o) => o.found) && t.termination !== 'max_steps' ? 1 : 0);
    }
    expect(runs.some((t) => t.reward === 1)).toBe(true);
  }, 60_000);
});
