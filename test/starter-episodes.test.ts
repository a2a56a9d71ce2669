import { describe, expect, it } from 'vitest';
import { FlawedAgent } from '../src/agents/flawed.ts';
import { OUTCOME_CHANGING } from '../src/agents/flawed-mutations.ts';
import { OracleAgent } from '../src/agents/oracle.ts';
import type { Agent } from '../src/agents/agent.ts';
import { buildSuite, type Suite } from '../src/bench/episodes.ts';
import type { ChatMessage } from '../src/chat/messages.ts';
import { recognise } from '../src/dialogue/acts.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import type { Trajectory } from '../src/episode/trajectory.ts';
import { judgeView } from '../src/judge/judge.ts';
import { OracleJudge } from '../src/judge/oracle-judge.ts';
import { dumps } from '../src/py/dumps.ts';
import { ScriptedUser } from '../src/users/scripted.ts';
import { needsWrite } from '../src/verify/task-writes.ts';

const KINDS = ['cancel_order', 'return_order', 'order_status', 'other_users_order'] as const;
const TASKS = 500;

const run = (suite: Suite, agent: () => Agent, seed = 3): Promise<Trajectory[]> =>
  runEpisodes(
    suite.tasks.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: agent(), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed })),
    { concurrency: 4 },
  );

/**
 * An episode's size in characters: every message but the system prompt — texts, tool
 * observations, and each tool call's name plus its JSON arguments.
 */
export function episodeChars(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) {
    if (m.role === 'system') continue;
    n += (m.content ?? '').length;
    if (m.role === 'assistant') for (const c of m.tool_calls ?? []) n += c.function.name.length + c.function.arguments.length;
  }
  return n;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const sizes: Record<string, number> = {};

describe.each(KINDS)('oracle agent + scripted user on %s starter tasks', (kind) => {
  const suite = buildSuite('starter', TASKS, 7, { kinds: [kind], singleRequest: true });

  it(`passes all ${TASKS} tasks through the episode loop, with the ground-truth calls, in short episodes`, async () => {
    expect(suite.tasks.every((t) => t.kind === kind)).toBe(true);
    const out = await run(suite, () => new OracleAgent());
    expect(out.filter((t) => t.reward !== 1).map((t) => `${t.taskId} ${t.termination} ${t.error ?? ''}`)).toEqual([]);
    for (const t of out) {
      const task = suite.tasks.find((x) => x.id === t.taskId)!;
      expect(t.termination).toBe('user_stop');
      expect(t.userStats).toMatchObject({ clarifications: 0, refusals: 0 });
      const calls = t.steps.flatMap((s) => (s.action.type === 'tool' ? [`${s.action.name} ${s.action.arguments}`] : []));
      expect(calls).toEqual(task.actions.map((a) => `${a.name} ${dumps(a.kwargs)}`));
      // Every id in a tool call was said by the user or shown by an earlier observation.
      t.steps.forEach((s, i) => {
        if (s.action.type !== 'tool') return;
        expect(t.messages[s.messageIndex]!.role).toBe('assistant');
        const context = t.messages.slice(0, s.messageIndex).filter((m) => m.role === 'user' || m.role === 'tool').map((m) => m.content ?? '').join('\n');
        for (const id of s.action.arguments.match(/u\d+|#\d+/g) ?? []) expect(context, `${t.taskId} turn ${i}`).toContain(id);
      });
    }
    const chars = out.map((t) => episodeChars(t.messages));
    sizes[kind] = mean(chars);
    console.log(`${kind}: mean oracle episode ${sizes[kind]!.toFixed(0)} characters (max ${Math.max(...chars)}), ${mean(out.map((t) => t.steps.length)).toFixed(1)} agent turns`);
    expect(sizes[kind]).toBeLessThanOrEqual(900);
  }, 120_000);
});

describe('the oracle on starter tasks', () => {
  const suite = buildSuite('starter', TASKS, 8);

  it('passes the default mix (multi-request tasks included); mean episode size over it', async () => {
    expect(suite.tasks.some((t) => t.kind!.includes('+'))).toBe(true);
    const out = await run(suite, () => new OracleAgent());
    expect(out.filter((t) => t.reward !== 1).map((t) => `${t.taskId} ${t.termination}`)).toEqual([]);
    const single = out.filter((t) => !suite.tasks.find((x) => x.id === t.taskId)!.kind!.includes('+'));
    console.log(`default mix: mean oracle episode ${mean(out.map((t) => episodeChars(t.messages))).toFixed(0)} characters; single-request tasks ${mean(single.map((t) => episodeChars(t.messages))).toFixed(0)}`);
    expect(mean(single.map((t) => episodeChars(t.messages)))).toBeLessThanOrEqual(900);
  }, 120_000);

  it('says short, regular sentences that the dialogue acts recognise', async () => {
    const out = await run({ ...suite, tasks: suite.tasks.slice(0, 120) }, () => new OracleAgent());
    const texts = out.flatMap((t) => t.steps.flatMap((s) => (s.action.type === 'respond' ? [s.action.content] : [])));
    const forms = [
      /^Hello! Please tell me your user id and order id\.$/,
      /^(Done: (order #\d+ has been cancelled|the return of order #\d+ has been requested)\. |Order #\d+ status: [a-z ]+\. )*(I will (cancel order #\d+ \(reason: (no longer needed|ordered by mistake)\)|return order #\d+ \(refund: \$\d+\))\. Do you confirm \(yes\/no\)\?|(Sorry, I cannot cancel order #\d+: it belongs to another customer\. )?Anything else\?)$/,
    ];
    for (const text of texts) {
      expect(forms.some((f) => f.test(text)), text).toBe(true);
      expect(recognise(text).size, text).toBeGreaterThan(0);
      expect(text.length).toBeLessThan(160);
    }
    expect(texts[0]).toBe('Hello! Please tell me your user id and order id.');
    const [greet, confirm, done] = ['Hello! Please tell me your user id and order id.', 'I will cancel order #412 (reason: ordered by mistake). Do you confirm (yes/no)?', 'Done: order #412 has been cancelled. Anything else?'];
    expect([...recognise(greet)].sort()).toEqual(['ask_detail', 'ask_identity', 'greeting']);
    expect([...recognise(confirm)]).toEqual(['confirm_request']);
    expect([...recognise(done)].sort()).toEqual(['close', 'report_outcome']);
    expect([...recognise('Done: the return of order #518 has been requested. Anything else?')].sort()).toEqual(['close', 'report_outcome']);
    expect([...recognise('Sorry, I cannot cancel order #733: it belongs to another customer. Anything else?')].sort()).toEqual(['close', 'deny']);
    // The user's sentences are short too.
    const said = out.flatMap((t) => t.messages.filter((m) => m.role === 'user').map((m) => m.content ?? ''));
    expect(Math.max(...said.map((s) => s.length))).toBeLessThan(160);
  }, 60_000);

  it('the oracle judge gives no −1 on oracle episodes', async () => {
    const out = await run({ ...suite, tasks: suite.tasks.slice(0, 300) }, () => new OracleAgent());
    const judge = new OracleJudge();
    for (const t of out) {
      const task = suite.tasks.find((x) => x.id === t.taskId)!;
      const r = await judge.judge({ task, policy: '', trajectory: judgeView(t) });
      expect(r.verdicts.filter((v) => v.score === -1), t.taskId).toEqual([]);
      expect(r.verdicts).toHaveLength(t.steps.length);
    }
  }, 60_000);

  it('pass^1 over tasks that need a write is what separates an agent from doing nothing', async () => {
    const writes = suite.tasks.filter(needsWrite);
    expect(writes.length).toBeGreaterThan(250);
    expect(writes.length).toBeLessThan(suite.tasks.length);
  });
});

describe('near-miss twins on starter', () => {
  const suite = buildSuite('starter', 400, 13);

  it('a changed argument always scores 0; a forbidden extra write scores 0 unless the user refused it', async () => {
    const out = await run(suite, () => new OracleAgent('nearMiss'), 1);
    let changed = 0;
    let extra = 0;
    for (const t of out) {
      const task = suite.tasks.find((x) => x.id === t.taskId)!;
      if (task.nearMiss!.length === task.actions.length) {
        changed++;
        expect(t.reward, `${t.taskId} ${task.kind}`).toBe(0);
      } else {
        extra++;
        const refused = (t.userStats?.refusals ?? 0) > 0;
        expect(t.reward, `${t.taskId} ${task.kind}`).toBe(refused ? 1 : 0);
        // Another customer's order is the one the user wants cancelled: it goes through, and scores 0.
        if (task.kind === 'other_users_order') expect(t.reward).toBe(0);
      }
    }
    expect(changed).toBeGreaterThan(150);
    expect(extra).toBeGreaterThan(50);
  }, 120_000);
});

describe('the flawed agent on starter', () => {
  const suite = buildSuite('starter', 300, 5);
  const flawed = (kinds: readonly (typeof OUTCOME_CHANGING)[number][]) => run(suite, () => new FlawedAgent({ kinds, records: suite.records }), 9);

  it.each(OUTCOME_CHANGING.filter((k) => k !== 'wrong_payment'))('every %s injection scores 0, and the oracle judge gives it the −1', async (kind) => {
    const out = await flawed([kind]);
    const injected = out.filter((t) => t.injection?.kind === kind && t.injection.turn !== undefined);
    expect(injected.length).toBeGreaterThan(20);
    expect(injected.filter((t) => t.reward !== 0).map((t) => `${t.taskId} ${JSON.stringify(t.injection)}`)).toEqual([]);
    const judge = new OracleJudge();
    for (const t of injected) {
      const r = await judge.judge({ task: suite.tasks.find((x) => x.id === t.taskId)!, policy: '', trajectory: judgeView(t) });
      expect(r.verdicts.filter((v) => v.score === -1)).toHaveLength(1);
    }
  }, 120_000);

  it('starter writes carry no payment, so wrong_payment never applies', async () => {
    const out = await flawed(['wrong_payment']);
    expect(out.every((t) => t.injection?.kind === 'none' && t.reward === 1)).toBe(true);
  }, 60_000);
});
