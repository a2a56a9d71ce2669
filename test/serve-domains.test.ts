import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/serve/options.ts';
import { startServer, type RunningServer } from '../src/serve/server.ts';
import { goldenReplay, http, taubenchDir } from './support/serve-env.ts';

let server: RunningServer;
beforeAll(async () => {
  // No --domain: every domain in the directory is served.
  server = await startServer({ ...DEFAULTS, data: taubenchDir() });
});
afterAll(async () => {
  await server?.close();
});

describe('serving several domains', () => {
  it('requires the domain when several are served, and rejects an unknown one', async () => {
    expect((await http(`${server.url}/v1/health`)).json).toMatchObject({ domains: ['retail', 'airline'] });
    const none = await http(`${server.url}/v1/sessions`, { body: '{}' });
    expect(none.status).toBe(400);
    const unknown = await http(`${server.url}/v1/sessions`, { body: '{"domain":"banking"}' });
    expect(unknown.status).toBe(404);
    expect((unknown.json as { error: { code: string } }).error.code).toBe('unknown_domain');
  });

  it('replays an airline test task over REST with golden observations and reward 1', async () => {
    const golden = goldenReplay('airline', 'test');
    for (const index of [0, 1]) {
      const created = await http(`${server.url}/v1/sessions`, { body: JSON.stringify({ domain: 'airline', split: 'test', task: index }) });
      expect(created.status).toBe(201);
      const body = created.json as { session_id: string; task: { outputs: string[] } };
      const id = body.session_id;
      for (const step of golden[index]!.steps) {
        const r = await http(`${server.url}/v1/sessions/${id}/calls`, { body: JSON.stringify({ name: step.name, arguments: step.kwargs }) });
        expect((r.json as { observation: string }).observation).toBe(step.observation);
      }
      const verdict = await http(`${server.url}/v1/sessions/${id}/verify`, { body: JSON.stringify({ agent_messages: body.task.outputs }) });
      expect(verdict.json).toMatchObject({ reward: 1, db_match: true });
    }
  });
});
