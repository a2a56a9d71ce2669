import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ModelSpecError, parseModelSpecString } from '../src/llm/model-spec.ts';
import { HumanUser } from '../src/users/human-user.ts';
import { LlmUser } from '../src/users/llm-user.ts';
import { ReactUser } from '../src/users/react-user.ts';
import { ReflectionUser } from '../src/users/reflection-user.ts';
import { createUser, registerUser, userKinds } from '../src/users/registry.ts';
import { VerifyUser } from '../src/users/verify-user.ts';
import { text, withLlmServer } from './support/llm-server.ts';

const task = { id: 'test/4', domain: 'retail', split: 'test', index: 4, userId: 'u', instruction: 'Ask about order #W5.', actions: [], outputs: [] };

describe('createUser', () => {
  it('builds every τ-bench strategy from the shared model-spec string form', () => {
    const base = 'model=m,base_url=http://127.0.0.1:9/v1';
    expect(createUser(`llm:${base}`)).toBeInstanceOf(LlmUser);
    expect(createUser(`react:${base}`)).toBeInstanceOf(ReactUser);
    expect(createUser(`verify:${base}`)).toBeInstanceOf(VerifyUser);
    expect(createUser(`reflection:${base}`)).toBeInstanceOf(ReflectionUser);
    expect(createUser('human', { input: new PassThrough(), output: new PassThrough() })).toBeInstanceOf(HumanUser);
    expect(createUser(parseModelSpecString(`react:${base}`)).name).toBe('react:m');
    expect(userKinds()).toEqual(expect.arrayContaining(['llm', 'react', 'verify', 'reflection', 'human']));
  });

  it('rejects unknown kinds, missing models, a model for the human user, bad budgets', () => {
    expect(() => createUser('oracle')).toThrow(/unknown user 'oracle' \(known: .*react/);
    expect(() => createUser('react')).toThrow(ModelSpecError);
    expect(() => createUser('human:model=m,base_url=http://127.0.0.1:9/v1')).toThrow(/takes no model/);
    expect(() => createUser('verify:model=m,base_url=http://127.0.0.1:9/v1', { maxAttempts: 0 })).toThrow(RangeError);
    expect(() => registerUser('llm', () => new HumanUser())).toThrow(/already registered/);
  });

  it('the spec sampling and model reach the request; usage is recorded per reply', async () => {
    await withLlmServer([text('Hello!', { usage: { prompt_tokens: 7, completion_tokens: 3 } })], async (srv) => {
      const user = createUser(`llm:model=user-m,base_url=${srv.baseUrl},temperature=0.5,max_attempts=1`);
      const r = await user.start({ task, seed: 0, trial: 0 }).first();
      expect(r.usage).toEqual({ promptTokens: 7, completionTokens: 3, costUsd: null });
      expect(srv.bodies[0]).toMatchObject({ model: 'user-m', temperature: 0.5 });
    });
  });

  it('needs the API key variable a spec names (and never takes the key itself)', () => {
    expect(() => createUser('llm:model=m,base_url=http://127.0.0.1:9/v1,api_key_env=TARL_TEST_NO_SUCH_KEY', { client: { env: {} } })).toThrow(/TARL_TEST_NO_SUCH_KEY is not set/);
    expect(() => createUser('llm:model=m,api_key=sk-123')).toThrow(/never put an API key/);
  });
});
