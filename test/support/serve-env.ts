import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePy } from '../../src/py/parse.ts';
import { isDict, isList, toJs, type PyValue } from '../../src/py/value.ts';
import { DEFAULTS, type ServeOptions } from '../../src/serve/options.ts';
import { startServer, type RunningServer } from '../../src/serve/server.ts';
import { loadServedDomains, type ServedDomain } from '../../src/serve/world-source.ts';
import { repoRoot, taubenchDir } from './taubench.ts';

export { repoRoot, taubenchDir };

let retail: ServedDomain[] | undefined;
/** The retail world, loaded once per test file. */
export function retailDomains(): ServedDomain[] {
  return (retail ??= loadServedDomains(taubenchDir(), 'retail'));
}

export function startRetail(overrides: Partial<ServeOptions> = {}): Promise<RunningServer> {
  return startServer({ ...DEFAULTS, data: taubenchDir(), domain: 'retail', ...overrides }, retailDomains());
}

export interface GoldenStep {
  name: string;
  kwargs: Record<string, unknown>;
  observation: string;
}
export interface GoldenLine {
  steps: GoldenStep[];
  stateHash: string;
}

/** The ground-truth replay lines of a split (`golden/<domain>_<split>_replay.jsonl`). */
export function goldenReplay(domain: string, split: string): GoldenLine[] {
  const text = readFileSync(resolve(taubenchDir(), 'golden', `${domain}_${split}_replay.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const line: PyValue = parsePy(l);
      if (!isDict(line)) throw new Error('golden line is not an object');
      const steps = line.get('steps');
      if (!isList(steps)) throw new Error('golden line has no steps');
      return {
        steps: steps.map((s) => toJs(s) as GoldenStep),
        stateHash: String(line.get('state_hash')),
      };
    });
}

/** A bounded fetch that returns status and parsed JSON (or text when not JSON). */
export async function http(
  url: string,
  init: { method?: string; body?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body ?? null,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
