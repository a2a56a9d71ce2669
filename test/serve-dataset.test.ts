import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { loadDataset } from '../src/dataset/load.ts';
import { dumps } from '../src/py/dumps.ts';
import { DEFAULTS } from '../src/serve/options.ts';
import { startServer, type RunningServer } from '../src/serve/server.ts';
import { http } from './support/serve-env.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-serve-ds-'));
let server: RunningServer;
beforeAll(async () => {
  generateDataset(dir, { domain: 'airline', seed: 4, users: 60, tasks: 6, dev: 0, test: 6 });
  server = await startServer({ ...DEFAULTS, data: dir });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tarl serve on a generated dataset', () => {
  it('gives each task its own world (test ≠ train), lists the dataset tool descriptions, and verifies the ground truth', async () => {
    const ds = loadDataset(dir);
    const tools = (await http(`${server.url}/v1/sessions/${((await http(`${server.url}/v1/sessions`, { body: '{}' })).json as { session_id: string }).session_id}/tools`)).json as { tools: unknown };
    expect(tools.tools).toEqual(ds.tools);
    for (const split of ['train', 'test']) {
      for (const task of ds.tasks.get(split)!.slice(0, 3)) {
        const created = await http(`${server.url}/v1/sessions`, { body: JSON.stringify({ split, task: task.index }) });
        expect(created.status).toBe(201);
        const id = (created.json as { session_id: string }).session_id;
        for (const a of task.actions) {
          const r = await http(`${server.url}/v1/sessions/${id}/calls`, { body: `{"name":${JSON.stringify(a.name)},"arguments":${dumps(a.kwargs)}}` });
          expect(r.status).toBe(200);
          expect((r.json as { observation: string }).observation, `${task.id} ${a.name}`).not.toMatch(/^(Error|Unknown action)/);
        }
        const v = await http(`${server.url}/v1/sessions/${id}/verify`, { body: JSON.stringify({ agent_messages: [task.outputs.join(' ')] }) });
        expect((v.json as { reward: number }).reward, task.id).toBe(1);
        const changes = (await http(`${server.url}/v1/sessions/${id}/changes`)).json as { state_hash: string };
        const seeded = ds.worldOf(task).initialStateHash;
        expect(changes.state_hash === seeded).toBe(!task.actions.some((a) => ds.domain.tools.find((t) => t.name === a.name)?.kind === 'write'));
      }
    }
    expect(ds.worldOf(ds.tasks.get('test')![0]!)).not.toBe(ds.worldOf(ds.tasks.get('train')![0]!));
  });
});
