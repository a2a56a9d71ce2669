/** A killed Node parent (kill -9) leaves no Python trainer behind. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

describe('trainer process lifetime', () => {
  it('the service exits within 10 s after its Node parent is SIGKILLed', async () => {
    const node = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'tarl.js'), 'trainer', 'start', '--threads', '1'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tarl trainer start printed nothing in 60 s')), 60_000);
      createInterface({ input: node.stdout! }).once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
    const { pid, url } = JSON.parse(line) as { pid: number; url: string };
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(alive(pid)).toBe(true);
    node.kill('SIGKILL');
    expect(await until(() => !alive(pid), 10_000)).toBe(true);
  });
});
