import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/dataset/load.ts';
import { tarl } from './support/cli.ts';
import { ScriptedLlmServer, text, type RecordedRequest } from './support/llm-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-writer-'));
let server: ScriptedLlmServer;

// The writer model keeps every fact of the draft, except for cancellations, where it drops them.
function writer(req: RecordedRequest) {
  const body = req.body as { messages: { content: string }[] };
  const draft = body.messages[1]!.content.split('\n\nDraft: ')[1] ?? '';
  return text(/cancel/i.test(draft) ? 'You would like some help with an order.' : `Rewritten. ${draft}`);
}

beforeAll(async () => {
  server = await ScriptedLlmServer.start(writer);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function files(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, readFileSync(join(root, r), 'utf8'));
    }
  };
  walk('');
  return out;
}

describe('tarl data generate --writer llm', () => {
  const args = (out: string) => [
    'data', 'generate', '--domain', 'retail', '--seed', '3', '--users', '40', '--tasks', '6', '--dev', '0', '--test', '8', '--out', out,
    '--writer', 'llm', '--writer-model', 'writer-x', '--writer-base-url', server.baseUrl, '--writer-cache-dir', join(dir, 'cache'),
  ];

  it('rewrites instructions, keeps the template where facts were dropped (counted), and regenerates identically from the cache', async () => {
    const r = await tarl(args(join(dir, 'a')));
    expect(r.code, r.stderr).toBe(0);
    const ds = loadDataset(join(dir, 'a'));
    const all = [...ds.tasks.values()].flat();
    const rewritten = all.filter((t) => t.instruction.startsWith('Rewritten. '));
    const kept = all.length - rewritten.length;
    expect(rewritten.length).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
    expect(ds.manifest.instructions).toEqual({ writer: 'llm', model: 'writer-x', rewritten: rewritten.length, kept });
    expect(r.stdout).toContain(`instructions: ${rewritten.length} rewritten by writer-x, ${kept} kept from the template`);
    for (const t of all) expect(t.instruction).not.toBe('You would like some help with an order.');
    expect(server.requests.length).toBe(all.length);

    const again = await tarl(args(join(dir, 'b')));
    expect(again.code, again.stderr).toBe(0);
    expect(server.requests.length).toBe(all.length); // every reply came from the cache
    expect(files(join(dir, 'b'))).toEqual(files(join(dir, 'a')));
  });
});
