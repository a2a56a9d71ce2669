import { describe, expect, it } from 'vitest';
import { OracleAgent } from '../src/agents/oracle.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { TAUBENCH_DOMAINS } from '../src/domains/domain.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import { ScriptedUser } from '../src/users/scripted.ts';

const TASKS = 300;

/**
 * The oracle playing each task's near-miss twin: one ground-truth argument changed, or a write
 * the policy forbids added. Neither side may absorb the difference.
 */
// The starter store has its own, stricter suite: test/starter-episodes.test.ts.
describe.each(TAUBENCH_DOMAINS)('near-miss twins on %s', (domain) => {
  const suite = buildSuite(domain, TASKS, 13);

  it('a changed argument always scores 0; a forbidden extra write scores 0 unless the user refused it', async () => {
    const out = await runEpisodes(
      suite.tasks.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: new OracleAgent('nearMiss'), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 1 })),
      { concurrency: 4 },
    );
    let changed = 0;
    let extra = 0;
    for (const t of out) {
      const task = suite.tasks.find((x) => x.id === t.taskId)!;
      const added = (task.nearMiss ?? []).length > task.actions.length;
      if (!added) {
        changed++;
        expect(t.reward, `${t.taskId} ${task.kind}`).toBe(0);
        continue;
      }
      extra++;
      const refused = (t.userStats?.refusals ?? 0) > 0;
      expect(t.reward, `${t.taskId} ${task.kind}`).toBe(refused ? 1 : 0);
    }
    expect(changed).toBeGreaterThan(100);
    expect(extra).toBeGreaterThan(10);
   }, 180_000);
});
