import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, TARL, tarl } from './support/cli.ts';
import { makeTrainRun } from './support/view-runs.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-view-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tarl view (the command)', () => {
  it('prints its loopback URL as JSON, serves the runs, and stops on SIGTERM', async () => {
    const run = join(dir, 'train');
    await makeTrainRun(run, join(dir, 'no-dataset'), 3);
    const child = spawn(process.execPath, [TARL, 'view', run, '--port', '0'], { cwd: REPO_ROOT });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`tarl view exited with ${code}`)));
      });
      const info = JSON.parse(first) as { port: number; url: string; runs: string[] };
      expect(info.url).toBe(`http://127.0.0.1:${info.port}`);
      expect(info.runs).toEqual([run]);
      const res = await fetch(`${info.url}/runs/0`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await res.text()).toContain('id="curves"');
      const metrics = (await (await fetch(`${info.url}/api/runs/0/metrics?from=0`)).json()) as { lines: unknown[] };
      expect(metrics.lines).toHaveLength(3);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a directory that is not a run', async () => {
    const r = await tarl(['view', dir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir} is not a run directory (no run.json)`);
  });
});
