import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainProgressSchedule } from '../src/cli/shared/progress.ts';
import { REPO_ROOT, tarl } from './support/cli.ts';

// Each case starts `tarl` as a child process (seconds each on a busy machine).
const CLI_TIMEOUT = 240_000;

describe('tarl help and usage errors', () => {
  it('eval --help lists the kinds of each role and leaves the per-role model flags to `tarl help models`', async () => {
    const r = await tarl(['eval', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--agent <spec>\s+agent: tool-calling, act, react, oracle,\s+flawed, noop, tau2-oracle/);
    expect(r.stdout).toMatch(/--user <spec>\s+user simulator: llm, react, verify,\s+reflection, human, scripted/);
    expect(r.stdout).toContain('--agent-model');
    for (const hidden of ['--agent-base-url', '--user-temperature', '--agent-max-retry-ms']) expect(r.stdout).not.toContain(hidden);
    // One spec flag and one model flag per role; the other 14 per role were ~56 lines of help.
    expect(r.stdout.match(/^ {2}--(agent|user)(-[a-z-]+)? /gm)).toEqual(['  --agent ', '  --agent-model ', '  --user ', '  --user-model ']);
    expect(r.stdout.trim().split('\n').length).toBeLessThan(90);
    const judge = await tarl(['judge', '--help']);
    expect(judge.stdout).toMatch(/--judge <spec>\s+judge: oracle, llm/);
  }, CLI_TIMEOUT);

  it('tarl help models documents every per-role flag and key; tarl help eval is the full help', async () => {
    const r = await tarl(['help', 'models']);
    expect(r.code).toBe(0);
    for (const s of ['--ROLE-base-url', 'base_url', '--ROLE-api-key-env', 'api_key_env', '--ROLE-max-retry-ms', 'judge (tarl judge)']) expect(r.stdout).toContain(s);
    const e = await tarl(['help', 'eval']);
    expect(e.stdout).toContain('--agent <spec>');
  }, CLI_TIMEOUT);

  it('a mistyped option prints the suggestion and a pointer, not the whole help; hidden flags are suggested too', async () => {
    const r = await tarl(['eval', '--agnet', 'oracle']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown option '--agnet'\n(Did you mean --agent?)\n(tarl eval --help lists the options)\n");
    const hidden = await tarl(['eval', '--agent-base-ulr', 'http://x']);
    expect(hidden.stderr).toContain('(Did you mean --agent-base-url?)');
    expect(hidden.stderr).not.toContain('Options:');
  }, CLI_TIMEOUT);

  it('the per-role flags still work though hidden', async () => {
    const r = await tarl(['eval', '--data', '/nonexistent-tarl-data', '--out', '/nonexistent-tarl-out', '--agent', 'tool-calling', '--agent-base-url', 'http://127.0.0.1:9/v1']);
    // The flag is parsed into the agent's spec, which then lacks the model it needs.
    expect(r.stderr).not.toContain('unknown option');
    expect(r.stderr).toContain('--agent-base-url given without a model');
  }, CLI_TIMEOUT);

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string };
    const r = await tarl(['--version']);
    expect(r.stdout.trim()).toBe(version);
  }, CLI_TIMEOUT);
});

describe('plain (non-TTY) progress', () => {
  it('prints a bounded number of lines however many episodes: the first, each twentieth, the last', () => {
    const due = plainProgressSchedule(20);
    const printed: number[] = [];
    for (let done = 0; done <= 10_000; done++) if (due(done, 10_000)) printed.push(done);
    expect(printed.length).toBe(21);
    expect(printed[0]).toBe(0);
    expect(printed.at(-1)).toBe(10_000);
    expect(printed[1]).toBe(500);
    const resumed = plainProgressSchedule(20);
    expect([4000, 4001, 4500, 10_000, 10_000].map((d) => resumed(d, 10_000))).toEqual([true, false, true, true, false]);
    const small = plainProgressSchedule(20);
    expect([0, 1, 2, 3].map((d) => small(d, 3))).toEqual([true, true, true, true]);
  });
});
