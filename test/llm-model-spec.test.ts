import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addModelOptions } from '../src/llm/model-flags.ts';
import { formatModelSpec, modelSpecFromConfig, modelSpecFromOptions, ModelSpecError, parseModelSpecString, type ModelSpec } from '../src/llm/model-spec.ts';
import { chatClientFromSpec } from '../src/llm/spec-client.ts';
import { LlmConfigError } from '../src/llm/errors.ts';

/** Parses argv with a command that has the agent/user/judge options, returning the options. */
function cli(argv: string[]): Record<string, unknown> {
  const cmd = new Command('eval').exitOverride();
  for (const p of ['agent', 'user', 'judge']) addModelOptions(cmd, p);
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

describe('model-spec string form', () => {
  it('keeps model ids with : and / and URLs with ports and paths', () => {
    const s = parseModelSpecString('tool-calling:model=Qwen/Qwen3-8B:awq,base_url=http://gpu-host:8000/v1/openai,temperature=0.7');
    expect(s.kind).toBe('tool-calling');
    expect(s.llm).toMatchObject({ model: 'Qwen/Qwen3-8B:awq', baseUrl: 'http://gpu-host:8000/v1/openai', temperature: 0.7 });
    expect(s.llm?.apiKeyEnv).toBeUndefined();
  });

  it('keeps commas inside values unless a key= follows', () => {
    const s = parseModelSpecString('react:model=ollama/llama3.1:8b-instruct-q4_K_M,base_url=http://127.0.0.1:11434/v1?a=1,2');
    expect(s.llm).toMatchObject({ model: 'ollama/llama3.1:8b-instruct-q4_K_M', baseUrl: 'http://127.0.0.1:11434/v1?a=1,2' });
  });

  it('defaults to OpenAI with OPENAI_API_KEY only when no base URL is given', () => {
    const s = parseModelSpecString('tool-calling:model=gpt-4o-mini');
    expect(s.llm).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', temperature: 0, maxAttempts: 6, logprobs: false });
  });

  it('accepts a bare kind (no model) and types booleans and ints', () => {
    expect(parseModelSpecString('oracle')).toEqual({ kind: 'oracle' });
    const s = parseModelSpecString('act:model=m,base_url=http://h:1/v1,logprobs=true,max_tokens=256,rpm=60,concurrency=4');
    expect(s.llm).toMatchObject({ logprobs: true, maxTokens: 256, rpm: 60, concurrency: 4 });
  });

  it('records trained:PATH as a checkpoint without defaulting an endpoint', () => {
    const s = parseModelSpecString('tool-calling:model=trained:runs/r1/checkpoints/step-100');
    expect(s.llm).toMatchObject({ model: 'trained:runs/r1/checkpoints/step-100', checkpoint: 'runs/r1/checkpoints/step-100' });
    expect(s.llm?.baseUrl).toBeUndefined();
    expect(() => chatClientFromSpec(s.llm!)).toThrow(LlmConfigError);
    expect(() => chatClientFromSpec(s.llm!)).toThrow(/trainer service/);
  });

  it('round-trips through formatModelSpec', () => {
    const specs = ['tool-calling:model=Qwen/Qwen3-8B:awq,base_url=http://h:8000/v1,temperature=0.7,seed=3', 'oracle', 'react:model=trained:ckpt/a:b'];
    for (const text of specs) {
      const s = parseModelSpecString(text);
      expect(parseModelSpecString(formatModelSpec(s))).toEqual(s);
    }
  });

  it.each([
    ['Tool-Calling:model=x', /kind 'Tool-Calling'/],
    ['tool-calling:', /nothing after/],
    ['tool-calling:gpt-4o', /not key=value/],
    ['tool-calling:model=x,colour=red', /unknown key 'colour'/],
    ['tool-calling:model=x,model=y', /given twice/],
    ['tool-calling:temperature=0.5', /without a model/],
    ['tool-calling:model=x,temperature=hot', /temperature: 'hot' is not a number/],
    ['tool-calling:model=x,temperature=3', /temperature: Too big/],
    ['tool-calling:model=x,max_tokens=1.5', /max_tokens/],
    ['tool-calling:model=x,base_url=ftp://h/v1', /base_url: must be an http\(s\) URL/],
    ['tool-calling:model=x,base_url=not a url', /base_url/],
    ['tool-calling:model=x,api_key=sk-123', /never put an API key/],
    ['tool-calling:model=x,api_key_env=sk-live-1234 5', /environment variable name/],
    ['tool-calling:model=trained:', /needs a checkpoint path/],
    ['tool-calling:model=x,logprobs=maybe', /not a boolean/],
  ])('rejects %s clearly', (text, message) => {
    expect(() => parseModelSpecString(text)).toThrow(ModelSpecError);
    expect(() => parseModelSpecString(text)).toThrow(message);
  });
});

describe('model-spec from commander options', () => {
  it('builds each role from its prefixed flags', () => {
    const o = cli([
      '--agent', 'tool-calling', '--agent-model', 'Qwen/Qwen3-8B:awq', '--agent-base-url', 'http://127.0.0.1:8000/v1',
      '--agent-api-key-env', 'VLLM_KEY', '--agent-temperature', '0.7', '--agent-logprobs',
      '--user', 'llm', '--user-model', 'gpt-4o',
      '--judge', 'llm:model=gpt-4.1,max_attempts=3',
    ]);
    const agent: ModelSpec = modelSpecFromOptions('agent', o);
    expect(agent).toEqual({
      kind: 'tool-calling',
      llm: expect.objectContaining({ model: 'Qwen/Qwen3-8B:awq', baseUrl: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'VLLM_KEY', temperature: 0.7, logprobs: true }),
    });
    expect(modelSpecFromOptions('user', o).llm).toMatchObject({ model: 'gpt-4o', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' });
    expect(modelSpecFromOptions('judge', o).llm).toMatchObject({ model: 'gpt-4.1', maxAttempts: 3 });
  });

  it('merges a spec string with flags for other fields', () => {
    const o = cli(['--agent', 'react:model=m,base_url=http://h:9/v1', '--agent-temperature', '1']);
    expect(modelSpecFromOptions('agent', o).llm).toMatchObject({ model: 'm', temperature: 1 });
  });

  it('names the flag in errors and refuses a field given twice', () => {
    expect(() => modelSpecFromOptions('agent', cli(['--agent', 'act', '--agent-model', 'm', '--agent-temperature', 'warm']))).toThrow(/--agent-temperature: 'warm' is not a number/);
    expect(() => modelSpecFromOptions('agent', cli(['--agent', 'act:model=a', '--agent-model', 'b']))).toThrow(/given both/);
    expect(() => modelSpecFromOptions('agent', cli([]))).toThrow(/--agent is required/);
    expect(() => modelSpecFromOptions('agent', cli(['--agent', 'act', '--agent-rpm', '0', '--agent-model', 'm']))).toThrow(/--agent-rpm: Too small/);
  });
});

describe('model-spec from config objects', () => {
  it('accepts an object or a string and rejects unknown fields', () => {
    expect(modelSpecFromConfig({ kind: 'tool-calling', model: 'gpt-4o', temperature: 0.5 }).llm).toMatchObject({ model: 'gpt-4o', temperature: 0.5 });
    expect(modelSpecFromConfig('oracle')).toEqual({ kind: 'oracle' });
    expect(() => modelSpecFromConfig({ kind: 'tool-calling', model: 'x', apiKey: 'sk-1' })).toThrow(/unknown field\(s\) apiKey/);
    expect(() => modelSpecFromConfig({ kind: 'tool-calling', model: 'x', temperature: '0.5' })).not.toThrow();
    expect(() => modelSpecFromConfig({ model: 'x' })).toThrow(ModelSpecError);
  });
});
