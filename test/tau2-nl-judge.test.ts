/**
 * NL_ASSERTION through an LLM judge endpoint (the local test server): the judge sees the
 * transcript and the expected outcomes, its verdicts decide the component; an unusable answer
 * is retried once and then reported unscored; an empty assertion list needs no call.
 */
import { describe, expect, it } from 'vitest';
import { Tau2OracleAgent } from '../src/agents/tau2-oracle.ts';
import { loadTau2Tasks, loadTau2World } from '../src/dataset/tau2.ts';
import { runTau2Episode } from '../src/episode/run-tau2-episode.ts';
import { ChatClient } from '../src/llm/client.ts';
import { Tau2ScriptedUser } from '../src/users/tau2-scripted.ts';
import { llmNlJudge } from '../src/verify/tau2-nl-judge.ts';
import { text, withLlmServer } from './support/llm-server.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();
const world = loadTau2World(dir, 'retail');
const tasks = loadTau2Tasks(dir, 'retail').tasks;
const withNl = tasks.find((t) => t.criteria?.rewardBasis.includes('NL_ASSERTION') && (t.criteria.nlAssertions ?? []).length > 0)!;
const client = (baseUrl: string): ChatClient => new ChatClient({ model: 'judge', baseUrl, retry: { maxAttempts: 1 }, timeoutMs: 5_000 });
const verdict = (met: boolean): string =>
  JSON.stringify({ results: (withNl.criteria!.nlAssertions ?? []).map((a) => ({ expectedOutcome: a, reasoning: 'checked', metExpectation: met })) });

describe('τ² NL assertion judge', () => {
  it('met expectations score NL_ASSERTION 1 (reward 1); unmet ones score 0', async () => {
    for (const met of [true, false]) {
      await withLlmServer([text(`Here you go: ${verdict(met)}`)], async (server) => {
        const t = await runTau2Episode({ world, task: withNl, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser(), trial: 0, seed: 0, judge: llmNlJudge(client(server.baseUrl)) });
        expect(t.tau2!.reward.components.NL_ASSERTION).toBe(met ? 1 : 0);
        expect(t.reward).toBe(met ? 1 : 0);
        expect(t.tau2!.reward.nlAssertions?.map((c) => c.met)).toEqual((withNl.criteria!.nlAssertions ?? []).map(() => met));
        const req = server.requests[0]!.body as { messages: { role: string; content: string }[] };
        expect(req.messages[1]!.content).toContain('conversation:\nassistant: Hi! How can I help you today?\nuser: ');
        expect(req.messages[1]!.content).toContain(`expectedOutcomes:\n${JSON.stringify(withNl.criteria!.nlAssertions)}`);
      });
    }
  });

  it('an unusable answer is retried once, then NL_ASSERTION is reported unscored (reward null)', async () => {
    await withLlmServer([text('I think so.'), text('{"results": "yes"}')], async (server) => {
      const t = await runTau2Episode({ world, task: withNl, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser(), trial: 0, seed: 0, judge: llmNlJudge(client(server.baseUrl)) });
      expect(server.requests).toHaveLength(2);
      expect(t.tau2!.reward.reward).toBeNull();
      expect(t.tau2!.reward.unscored).toEqual([{ component: 'NL_ASSERTION', why: expect.stringMatching(/judge failed: .*after 2 attempts.*"results" list/) as string }]);
    });
  });

  it('a task without NL assertions makes no judge call', async () => {
    const plain = tasks.find((t) => (t.criteria?.nlAssertions ?? []).length === 0 && (t.criteria?.actions ?? []).length > 0)!;
    await withLlmServer([], async (server) => {
      const t = await runTau2Episode({ world, task: plain, agent: new Tau2OracleAgent(), user: new Tau2ScriptedUser(), trial: 0, seed: 0, judge: llmNlJudge(client(server.baseUrl)) });
      expect(server.requests).toHaveLength(0);
      expect(t.reward).toBe(1);
    });
  });
});
