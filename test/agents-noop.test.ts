import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NoopAgent } from '../src/agents/noop.ts';
import { createAgent } from '../src/agents/registry.ts';
import { generateDataset } from '../src/dataset/build.ts';
import { loadDataset, type Dataset } from '../src/dataset/load.ts';
import { runEpisode } from '../src/episode/run-episode.ts';
import { doNothingFloor } from '../src/eval/floor.ts';
import { datasetSource } from '../src/eval/source.ts';
import { ScriptedUser } from '../src/users/scripted.ts';
import { needsWrite } from '../src/verify/task-writes.ts';
import { tarl } from './support/cli.ts';
import { tempDirs } from './support/files.ts';

const tmp = tempDirs('tarl-noop-');
const datasets = new Map<string, Dataset>();
beforeAll(() => {
  const root = tmp();
  for (const domain of ['retail', 'airline'] as const) {
    generateDataset(join(root, domain), { domain, seed: 3, users: 80, tasks: 10, dev: 2, test: 60 });
    datasets.set(domain, loadDataset(join(root, domain)));
  }
});

describe('the noop baseline agent and the do-nothing floor', () => {
  it('is selectable by name', () => {
    expect(createAgent({ kind: 'noop' }).name).toBe('noop');
  });

  for (const domain of ['retail', 'airline']) {
    it(`${domain}: never calls a tool, ends politely, and passes exactly the tasks the floor counts`, async () => {
      const ds = datasets.get(domain)!;
      const source = datasetSource(ds, 'test');
      const floor = doNothingFloor(source)!;
      expect(floor.tasks).toBe(60);
      expect(floor.passed).toBeGreaterThan(0);
      expect(floor.passed).toBeLessThan(60);
      let passed = 0;
      for (const task of source.tasks) {
        const { template, verifier } = source.world(task);
        const t = await runEpisode({ task, template, verifier, agent: new NoopAgent(), user: new ScriptedUser(), policy: ds.policy, tools: ds.tools, trial: 0, seed: 1 });
        expect(t.steps.every((s) => s.action.type === 'respond')).toBe(true);
        expect(t.termination, task.id).toBe('user_stop');
        expect(t.reward, task.id).toBe(doNothingFloor({ ...source, tasks: [task] })!.passed);
        passed += t.reward;
      }
      expect(passed).toBe(floor.passed);
      expect(floor.pass1).toBeCloseTo(passed / 60, 12);
    }, 120_000);
  }

  it('a task that needs no write but an output is above the floor (the write count alone would count it)', () => {
    const ds = datasets.get('retail')!;
    const source = datasetSource(ds, 'test');
    const noWrite = source.tasks.find((t) => !needsWrite(t) && t.outputs.length === 0)!;
    expect(doNothingFloor({ ...source, tasks: [noWrite] })!.passed).toBe(1);
    const withOutput = { ...noWrite, outputs: ['42'] };
    expect(doNothingFloor({ ...source, tasks: [withOutput] })!.passed).toBe(0);
    expect(needsWrite(withOutput)).toBe(false);
  });

  it('tarl eval --agent noop: pass^1 equals the floor, recorded in results.json and shown in the report', async () => {
    const out = join(tmp(), 'run');
    const data = datasets.get('retail')!.dir;
    const r = await tarl(['eval', '--data', data, '--agent', 'noop', '--user', 'scripted', '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { summary: { passHatK: Record<string, number> }; floor: { pass1: number; passed: number; tasks: number } };
    expect(res.floor.tasks).toBe(60);
    expect(res.summary.passHatK[1]).toBeCloseTo(res.floor.pass1, 12);
    expect(r.stdout).toContain(`do-nothing floor pass^1 ${res.floor.pass1.toFixed(3)}`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`do-nothing floor ${res.floor.pass1.toFixed(3)} (${res.floor.passed} of 60 tasks`);
  }, 240_000);
});
