import { describe, expect, it } from 'vitest';
import { OracleAgent } from '../src/agents/oracle.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { UNREADABLE_OUTPUT } from '../src/chat/tool-call-format.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import type { StepRecord, Trajectory } from '../src/episode/trajectory.ts';
import { judgeView } from '../src/judge/judge.ts';
import { OracleJudge } from '../src/judge/oracle-judge.ts';
import { ScriptedUser } from '../src/users/scripted.ts';

/** An oracle episode with an unreadable turn put in at `at` (later turns renumbered). */
function withUnreadable(t: Trajectory, at: number): Trajectory {
  const slip: StepRecord = {
    turn: at,
    action: { type: 'tool', name: 'unparsed', arguments: '{}', callId: 'call_x' },
    messageIndex: t.steps[at]!.messageIndex,
    observation: `${UNREADABLE_OUTPUT} (a <tool_call> block is not a JSON object with a string "name").`,
    wallMs: 0,
  };
  const steps = [...t.steps.slice(0, at), slip, ...t.steps.slice(at).map((s) => ({ ...s, turn: s.turn + 1 }))];
  return { ...t, steps };
}

describe('the oracle judge and unreadable outputs', () => {
  const suite = buildSuite('starter', 40, 21);

  it('puts the −1 on an unreadable turn, in a passed episode and in a failed one with no other visible mistake', async () => {
    const out = await runEpisodes(
      suite.tasks.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: new OracleAgent(), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 1 })),
      { concurrency: 4 },
    );
    const passed = out.find((t) => t.reward === 1 && t.steps.length >= 3)!;
    expect(passed).toBeDefined();
    const judge = new OracleJudge();
    const task = suite.tasks.find((x) => x.id === passed.taskId)!;

    const clean = await judge.judge({ task, policy: '', trajectory: judgeView(passed) });
    expect(clean.verdicts.map((v) => v.score)).toEqual(passed.steps.map(() => 1));

    const slipped = withUnreadable(passed, 1);
    const r = await judge.judge({ task, policy: '', trajectory: judgeView(slipped) });
    expect(r.verdicts.map((v) => v.score)).toEqual(slipped.steps.map((s) => (s.turn === 1 ? -1 : 1)));
    expect(r.verdicts[1]!.rationale).toMatch(/^unreadable:/);

    // The same transcript, failed: the slip (not the last turn) is blamed, later turns carry it.
    const failed = await judge.judge({ task, policy: '', trajectory: judgeView({ ...slipped, reward: 0 }) });
    expect(failed.verdicts.map((v) => v.score)).toEqual(slipped.steps.map((s) => (s.turn === 0 ? 1 : s.turn === 1 ? -1 : 0)));
  }, 60_000);
});
