import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const TARL = join(REPO_ROOT, 'bin', 'tarl.js');

/** Runs a Node script as a child process, collecting its output (spawned asynchronously, so servers in this process keep serving). */
export function runNode(script: string, args: string[], o: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT, timeout: o.timeoutMs, ...(o.env && { env: o.env }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Runs the `tarl` CLI as a child process, asynchronously: servers the test started in this
 * process (a scripted LLM endpoint, say) must keep serving while the child talks to them.
 */
export function tarl(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode(TARL, args, { timeoutMs });
}
