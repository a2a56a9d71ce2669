import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distState } from '../bin/dist-state.js';
import { commands } from '../src/cli/commands/index.ts';
import { REPO_ROOT, runNode } from './support/cli.ts';

// The other CLI tests run the sources (TARL_FROM_SOURCES=1); these build the bundle, as `npm
// install` does, into a folder of their own and run it: every command's help must be the one the
// sources register, though the bundle loads each command's code only when it runs.
const OUT = `.cache/test-dist-${process.pid}`;
const BUILT = join(REPO_ROOT, OUT, 'tarl.js');

function builtTarl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode(BUILT, args, { timeoutMs: 60_000, env: { ...process.env, NO_COLOR: '1' } });
}

/** Every command path (`['eval']`, `['eval', 'compare']`, …) with the help the sources give it. */
async function helpFromSources(): Promise<{ path: string[]; help: string }[]> {
  const out: { path: string[]; help: string }[] = [];
  for (const c of commands) {
    // As main.ts sets up the root; help written 80 columns wide, as to a pipe.
    const program = new Command('tarl').helpCommand(false).configureOutput({ getOutHelpWidth: () => 80, getOutHasColors: () => false });
    (await c.load()).register(program);
    const visit = (cmd: Command, path: string[]): void => {
      out.push({ path, help: cmd.helpInformation() });
      for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
    };
    visit(program.commands[0]!, [c.name]);
  }
  return out;
}

describe('the built CLI (dist)', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', OUT], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(join(REPO_ROOT, OUT), { recursive: true, force: true }));

  it("prints each command's and sub-command's help, identical to the sources', options and all", async () => {
    const expected = await helpFromSources();
    expect(expected.map((e) => e.path.join(' '))).toEqual(expect.arrayContaining(['eval', 'eval compare', 'data generate', 'judge bench', 'sandbox replay', 'trainer start', 'demo', 'view']));
    for (const e of expected) {
      const r = await builtTarl([...e.path, '--help']);
      expect(r.code, `${e.path.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout, e.path.join(' ')).toBe(e.help);
      expect(r.stdout).toContain('--help');
    }
    // The kinds listed in help come from leaf modules: still those the registries build.
    const evalHelp = expected.find((e) => e.path.join(' ') === 'eval')!.help;
    expect(evalHelp).toMatch(/--agent <spec>\s+agent: tool-calling, act, react, oracle,\s+flawed, noop, tau2-oracle/);
  }, 120_000);

  it('lists every command at the top level and runs a command past its help (an error found by its lazily loaded code)', async () => {
    const top = await builtTarl(['--help']);
    for (const c of commands) expect(top.stdout).toContain(`  ${c.name} `);
    const models = await builtTarl(['help', 'models']);
    expect(models.stdout).toContain('--ROLE-base-url');
    const missing = join(REPO_ROOT, OUT, 'no-such-dataset');
    const r = await builtTarl(['eval', '--data', missing, '--out', join(REPO_ROOT, OUT, 'run'), '--agent', 'oracle']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`tarl: ${missing} is not a dataset directory`);
  }, 120_000);

  it('the build stamp: current after the build; stale once an input or a folder of inputs changes', () => {
    const stamp = JSON.parse(readFileSync(join(REPO_ROOT, OUT, '.built'), 'utf8')) as { started: number; inputs: string[] };
    expect(stamp.inputs).toContain('src/cli/main.ts');
    expect(stamp.inputs).toContain('src/cli/commands/eval-run.ts');
    expect(distState(REPO_ROOT, OUT)).toEqual({ current: true });
    // A copy of the stamp over a scratch tree, so that no real source is touched.
    const root = join(REPO_ROOT, OUT, 'scratch');
    mkdirSync(join(root, 'src', 'a'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    const past = (Date.now() - 60_000) / 1000;
    for (const f of ['src/a/x.ts', 'src/y.ts']) writeFileSync(join(root, f), '');
    for (const f of ['src/a/x.ts', 'src/y.ts', 'src/a', 'src']) utimesSync(join(root, f), past, past);
    writeFileSync(join(root, 'dist', '.built'), JSON.stringify({ started: Date.now() - 30_000, inputs: ['src/a/x.ts', 'src/y.ts'] }));
    expect(distState(root)).toEqual({ current: true });
    writeFileSync(join(root, 'src/a/x.ts'), 'edited');
    expect(distState(root)).toEqual({ current: false, why: 'src/a/x.ts changed after the build' });
    utimesSync(join(root, 'src/a/x.ts'), past, past);
    writeFileSync(join(root, 'src/a/new.ts'), '');
    expect(distState(root)).toMatchObject({ current: false, why: expect.stringContaining('src/a/') });
    rmSync(join(root, 'src/a/new.ts'));
    utimesSync(join(root, 'src/a'), past, past);
    rmSync(join(root, 'src/y.ts'));
    expect(distState(root)).toEqual({ current: false, why: 'src/y.ts was removed after the build' });
    rmSync(join(root, 'dist', '.built'));
    expect(distState(root)).toMatchObject({ current: false, why: expect.stringContaining('no build') });
    expect(existsSync(join(root, 'dist'))).toBe(true);
  });
});
