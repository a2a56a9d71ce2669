/** A killed Node parent (kill -9) leaves no Python trainer behind, with one rank or several. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/trainer/process.ts';

/** Alive = exists and is not a zombie (a reparented child may wait for a reaper). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live children of pid (from /proc). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') out.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

async function startCli(args: string[], timeoutMs: number): Promise<{ node: ReturnType<typeof spawn>; pid: number; url: string }> {
  const node = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'tarl.js'), 'trainer', 'start', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tarl trainer start printed nothing in ${timeoutMs / 1000} s`)), timeoutMs);
    createInterface({ input: node.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
  });
  const { pid, url } = JSON.parse(line) as { pid: number; url: string };
  return { node, pid, url };
}

describe('trainer process lifetime', () => {
  it('the service exits within 10 s after its Node parent is SIGKILLed', async () => {
    const { node, pid, url } = await startCli(['--threads', '1'], 60_000);
    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ ok: true, sessions: 0 });
    expect(alive(pid)).toBe(true);
    node.kill('SIGKILL');
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
  });

  it('with --nproc 2, the launcher and both ranks exit after the Node parent is SIGKILLed', async () => {
    // Two ranks import torch at once: slow to start on a loaded 2-core machine.
    const { node, pid, url } = await startCli(['--threads', '1', '--nproc', '2'], 240_000);
    expect(await (await fetch(`${url}/v1/health`)).json()).toEqual({ ok: true, sessions: 0 });
    const ranks = children(pid);
    expect(ranks).toHaveLength(2);
    node.kill('SIGKILL');
    expect(await until(() => !alive(pid) && ranks.every((r) => !alive(r)), 20_000)).toBe(true);
  }, 300_000);
});
