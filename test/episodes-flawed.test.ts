import { describe, expect, it } from 'vitest';
import { FlawedAgent } from '../src/agents/flawed.ts';
import { INJECTION_KINDS, OUTCOME_CHANGING, type InjectionKind } from '../src/agents/flawed-mutations.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { TAUBENCH_DOMAINS } from '../src/domains/domain.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import type { Trajectory } from '../src/episode/trajectory.ts';
import { ScriptedUser } from '../src/users/scripted.ts';

const TASKS = 150;

// The starter store has its own, stricter suite: test/starter-episodes.test.ts.
describe.each(TAUBENCH_DOMAINS)('flawed agent on %s', (domain) => {
  const suite = buildSuite(domain, TASKS, 5);
  const run = (kinds: readonly InjectionKind[]): Promise<Trajectory[]> =>
    runEpisodes(
      suite.tasks.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: new FlawedAgent({ kinds, records: suite.records }), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 9 })),
      { concurrency: 4 },
    );

  it.each(OUTCOME_CHANGING)('every %s injection scores 0 (neither the user nor the oracle papers over it)', async (kind) => {
    const out = await run([kind]);
    const injected = out.filter((t) => t.injection?.kind === kind && t.injection.turn !== undefined);
    expect(injected.length).toBeGreaterThan(20);
    expect(injected.filter((t) => t.reward !== 0).map((t) => `${t.taskId} ${JSON.stringify(t.injection)}`)).toEqual([]);
    for (const t of injected) {
      const turn = t.injection!.turn as number;
      const step = t.steps[turn]!;
      // The recorded turn is the erroneous step: the wrong write or transfer, or the proposal the user turned down.
      if (kind === 'premature_transfer') expect(step.action.type === 'tool' && step.action.name === 'transfer_to_human_agents').toBe(true);
      else if (t.injection!.executed) expect(step.action.type).toBe('tool');
      else expect(step.action.type === 'respond' && step.userReply?.startsWith('No')).toBe(true);
    }
    // Where the user turned the wrong summary down, it was a near miss it caught by its facts.
    if (kind !== 'premature_transfer') expect(injected.some((t) => t.injection!.executed === false)).toBe(true);
  }, 120_000);

  it('injections that cannot change the outcome (write without confirmation, hallucinated fact) leave it at 1', async () => {
    for (const kind of ['write_without_confirmation', 'hallucinated_fact'] as const) {
      const out = await run([kind]);
      const injected = out.filter((t) => t.injection?.kind === kind && t.injection.turn !== undefined);
      expect(injected.length).toBeGreaterThan(20);
      expect(injected.every((t) => t.reward === 1)).toBe(true);
      for (const t of injected) {
        const step = t.steps[t.injection!.turn as number]!;
        if (kind === 'hallucinated_fact') expect(step.action.type === 'respond' && step.action.content.includes(String(t.injection!.detail))).toBe(true);
        else expect(step.action.type === 'tool' && t.steps[(t.injection!.turn as number) - 1]?.action.type === 'tool').toBe(true);
      }
    }
  }, 120_000);

  it('draws one seeded injection per episode from every kind, recorded in the trajectory only', async () => {
    const out = await run(INJECTION_KINDS);
    const kinds = new Set(out.map((t) => t.injection?.kind));
    for (const k of INJECTION_KINDS) expect(kinds.has(k)).toBe(true);
    const again = await run(INJECTION_KINDS);
    expect(again.map((t) => JSON.stringify(t.injection)).sort()).toEqual(out.map((t) => JSON.stringify(t.injection)).sort());
    for (const t of out) expect(JSON.stringify(t.messages)).not.toContain('"kind"');
  }, 120_000);
});
