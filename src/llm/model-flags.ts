import { Option, type Command } from 'commander';
import type { LlmSpecInput } from './model-spec.ts';

/**
 * The fields of a model spec and the per-role flags that set them: what `--help` and `tarl help
 * models` print. Kept apart from the spec's schema (model-spec.ts) and free of zod so that a
 * command registers its options, and prints its help, without loading the validation code.
 */

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const OPENAI_KEY_ENV = 'OPENAI_API_KEY';

type FieldType = 'string' | 'number' | 'int' | 'bool';
export interface Field {
  /** Key in the string form (snake_case). */
  key: string;
  /** Flag suffix: `--<prefix>-<flag>`. */
  flag: string;
  /** Property of LlmSpec. */
  prop: keyof LlmSpecInput;
  type: FieldType;
  help: string;
}

export const FIELDS: readonly Field[] = [
  { key: 'model', flag: 'model', prop: 'model', type: 'string', help: 'model id as the endpoint knows it, or trained:PATH for a trainer checkpoint' },
  { key: 'base_url', flag: 'base-url', prop: 'baseUrl', type: 'string', help: `OpenAI-compatible base URL (default ${OPENAI_BASE_URL})` },
  { key: 'api_key_env', flag: 'api-key-env', prop: 'apiKeyEnv', type: 'string', help: `name of the environment variable holding the API key (default ${OPENAI_KEY_ENV} for OpenAI, none otherwise)` },
  { key: 'temperature', flag: 'temperature', prop: 'temperature', type: 'number', help: 'sampling temperature (default 0)' },
  { key: 'top_p', flag: 'top-p', prop: 'topP', type: 'number', help: 'nucleus sampling mass' },
  { key: 'max_tokens', flag: 'max-tokens', prop: 'maxTokens', type: 'int', help: 'completion token limit' },
  { key: 'seed', flag: 'seed', prop: 'seed', type: 'int', help: 'sampling seed sent to the endpoint' },
  { key: 'logprobs', flag: 'logprobs', prop: 'logprobs', type: 'bool', help: 'request per-token log-probs' },
  { key: 'token_ids', flag: 'token-ids', prop: 'tokenIds', type: 'bool', help: 'request completion token ids (vLLM / trainer facade)' },
  { key: 'timeout_ms', flag: 'timeout-ms', prop: 'timeoutMs', type: 'int', help: 'per-attempt timeout in ms (default 60000)' },
  { key: 'max_attempts', flag: 'max-attempts', prop: 'maxAttempts', type: 'int', help: 'attempts per call, retries included (default 6)' },
  { key: 'max_retry_ms', flag: 'max-retry-ms', prop: 'maxRetryMs', type: 'int', help: 'wall-clock budget per call in ms (default 120000)' },
  { key: 'concurrency', flag: 'concurrency', prop: 'concurrency', type: 'int', help: 'max requests in flight to this endpoint' },
  { key: 'rpm', flag: 'rpm', prop: 'rpm', type: 'int', help: 'max requests per minute to this endpoint' },
  { key: 'cache_dir', flag: 'cache-dir', prop: 'cacheDir', type: 'string', help: 'directory of the on-disk response cache (off when unset)' },
];

/**
 * Registers `--<prefix> <kind-or-spec>` (its help lists `kinds`), `--<prefix>-model`, and one
 * `--<prefix>-<field>` flag per other field. Those per-field flags are accepted but left out of
 * the command's help, which would otherwise run to ~15 lines per role: `tarl help models`
 * documents them (`modelFlagsHelp`), and the spec string carries the same fields.
 */
export function addModelOptions(cmd: Command, prefix: string, opts: { defaultKind?: string; what?: string; kinds?: readonly string[] } = {}): Command {
  const what = opts.what ?? prefix;
  const kinds = opts.kinds?.length ? `: ${opts.kinds.join(', ')}` : '';
  cmd.option(`--${prefix} <spec>`, `${what}${kinds} — or a full spec KIND:model=NAME,base_url=URL,… (tarl help models)`, opts.defaultKind);
  for (const f of FIELDS) {
    const flag = f.type === 'bool' ? `--${prefix}-${f.flag}` : `--${prefix}-${f.flag} <${f.type === 'string' ? 'value' : 'n'}>`;
    const option = new Option(flag, `${what}: ${f.help}`);
    cmd.addOption(f.flag === 'model' ? option : option.hideHelp());
  }
  return cmd;
}

/** `tarl help models`: the spec string's keys and the per-role flags that set the same fields. */
export function modelFlagsHelp(roles: readonly string[]): string {
  const width = Math.max(...FIELDS.map((f) => f.key.length + f.flag.length)) + 20;
  const lines = [
    'Model specs: which strategy plays a role and, for model-driven ones, which model on which endpoint.',
    '',
    'One string per role:   --agent tool-calling:model=Qwen/Qwen3-8B,base_url=http://host:8000/v1,temperature=0.7',
    'or the kind and flags: --agent tool-calling --agent-model Qwen/Qwen3-8B --agent-base-url http://host:8000/v1',
    `Roles: ${roles.join(', ')} (each command's --help lists the kinds of its roles).`,
    'A field given both in the string and as a flag is an error. API keys never go in a spec: name',
    'the environment variable that holds one (api_key_env). More in docs/llm.md.',
    '',
    'key (in the string)    flag (per role)              meaning',
  ];
  for (const f of FIELDS) {
    const flag = `--ROLE-${f.flag}${f.type === 'bool' ? '' : f.type === 'string' ? ' <value>' : ' <n>'}`;
    lines.push(`${f.key.padEnd(22)} ${flag.padEnd(Math.max(28, width - 22))} ${f.help}`);
  }
  return lines.join('\n') + '\n';
}
