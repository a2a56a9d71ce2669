import { z } from 'zod';
import { FIELDS, OPENAI_BASE_URL, OPENAI_KEY_ENV, type Field } from './model-flags.ts';

/**
 * Model specs: which strategy plays a role (agent, user, judge) and, for model-driven ones,
 * which model on which endpoint with which sampling. Two spellings, one schema:
 *
 *   flags:   --agent tool-calling --agent-model Qwen/Qwen3-8B:awq --agent-base-url http://h:8000/v1
 *   string:  tool-calling:model=Qwen/Qwen3-8B:awq,base_url=http://h:8000/v1
 *
 * The string form is `KIND` or `KIND:key=value,key=value…`. KIND is `[a-z][a-z0-9-]*`, so the
 * first `:` ends it; a comma separates fields only when it is followed by a known-looking
 * `key=`, so values may hold `:`, `/`, `@`, `?`, `=` and even commas otherwise. A model id
 * `trained:PATH` names a checkpoint served by our trainer service's OpenAI-compatible facade.
 * API keys are never written in a spec, only the name of the variable that holds one.
 */

const TRAINED_PREFIX = 'trained:';
const KIND_RE = /^[a-z][a-z0-9-]*$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const LlmSpecSchema = z
  .object({
    model: z.string().trim().min(1, 'must not be empty'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    apiKeyEnv: z.string().regex(ENV_NAME_RE, 'must be an environment variable name (the key itself never goes in a spec)').optional(),
    temperature: z.number().min(0).max(2).default(0),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.int().positive().optional(),
    seed: z.int().optional(),
    logprobs: z.boolean().default(false),
    tokenIds: z.boolean().default(false),
    timeoutMs: z.int().positive().default(60_000),
    maxAttempts: z.int().min(1).max(100).default(6),
    maxRetryMs: z.int().positive().default(120_000),
    concurrency: z.int().positive().optional(),
    rpm: z.int().positive().optional(),
    cacheDir: z.string().min(1).optional(),
  })
  .strict();

export type LlmSpecInput = z.input<typeof LlmSpecSchema>;

/** A validated model endpoint and sampling setup; contains no secret, so it may be recorded. */
export type LlmSpec = z.output<typeof LlmSpecSchema> & {
  /**
   * Set for `trained:PATH`: the checkpoint the trainer facade serves. `model` keeps the whole
   * `trained:PATH` text; no base URL is defaulted, the caller wires the facade's.
   */
  checkpoint?: string;
};

export interface ModelSpec {
  /** Strategy name, e.g. `tool-calling`, `react`, `oracle`. */
  kind: string;
  /** Present when a model was named. */
  llm?: LlmSpec;
}

export class ModelSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSpecError';
  }
}

/** Raw field values by property, as strings (string form / CLI) or typed values (configs). */
type RawFields = Partial<Record<keyof LlmSpecInput, unknown>>;

/** Parses `KIND` or `KIND:key=value,…` (see the module comment). */
export function parseModelSpecString(text: string): ModelSpec {
  const { kind, fields } = splitSpecString(text);
  return buildSpec(kind, fields, (f) => f.key);
}

function splitSpecString(text: string): { kind: string; fields: RawFields } {
  const s = text.trim();
  const colon = s.indexOf(':');
  const kind = colon < 0 ? s : s.slice(0, colon);
  if (!KIND_RE.test(kind)) throw new ModelSpecError(`model spec '${text}': kind '${kind}' must match ${KIND_RE.source} (e.g. tool-calling:model=gpt-4o-mini)`);
  const fields: RawFields = {};
  if (colon < 0) return { kind, fields };
  const rest = s.slice(colon + 1);
  if (rest === '') throw new ModelSpecError(`model spec '${text}': nothing after '${kind}:'; expected key=value pairs such as model=gpt-4o-mini`);
  for (const part of rest.split(/,(?=[a-z_]+=)/)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const field = FIELDS.find((f) => f.key === key);
    if (eq < 0 || !/^[a-z_]+$/.test(key)) throw new ModelSpecError(`model spec '${text}': '${part}' is not key=value (keys: ${FIELDS.map((f) => f.key).join(', ')})`);
    if (key === 'api_key') throw new ModelSpecError(`model spec: never put an API key in a spec; name its environment variable with api_key_env=NAME`);
    if (!field) throw new ModelSpecError(`model spec '${text}': unknown key '${key}' (keys: ${FIELDS.map((f) => f.key).join(', ')})`);
    if (fields[field.prop] !== undefined) throw new ModelSpecError(`model spec '${text}': key '${key}' given twice`);
    fields[field.prop] = part.slice(eq + 1);
  }
  return { kind, fields };
}

/** Converts string values to their field types, then validates with the schema. */
function buildSpec(kind: string, raw: RawFields, name: (f: Field) => string): ModelSpec {
  const given = FIELDS.filter((f) => raw[f.prop] !== undefined);
  if (given.length === 0) return { kind };
  if (raw.model === undefined) throw new ModelSpecError(`${kind}: ${given.map(name).join(', ')} given without a model (${name(FIELDS[0]!)})`);
  const input: Record<string, unknown> = {};
  for (const f of given) input[f.prop] = convert(raw[f.prop], f, name(f));
  let checkpoint: string | undefined;
  if (typeof input.model === 'string' && input.model.startsWith(TRAINED_PREFIX)) {
    checkpoint = input.model.slice(TRAINED_PREFIX.length);
    if (checkpoint === '') throw new ModelSpecError(`${name(FIELDS[0]!)}: trained: needs a checkpoint path, e.g. trained:runs/r1/checkpoints/step-100`);
  } else if (input.baseUrl === undefined) {
    input.baseUrl = OPENAI_BASE_URL;
    input.apiKeyEnv ??= OPENAI_KEY_ENV;
  }
  const parsed = LlmSpecSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const f = FIELDS.find((x) => x.prop === i.path[0]);
      return `${f ? name(f) : i.path.join('.')}: ${i.message}`;
    });
    throw new ModelSpecError(`invalid ${kind} model spec: ${lines.join('; ')}`);
  }
  const llm: LlmSpec = checkpoint === undefined ? parsed.data : { ...parsed.data, checkpoint };
  return { kind, llm };
}

function convert(v: unknown, f: Field, label: string): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  switch (f.type) {
    case 'string':
      return s;
    case 'bool':
      if (/^(true|1|yes)$/i.test(s)) return true;
      if (/^(false|0|no)$/i.test(s)) return false;
      throw new ModelSpecError(`${label}: '${v}' is not a boolean (true/false)`);
    case 'number':
    case 'int': {
      const n = s === '' ? NaN : Number(s);
      if (!Number.isFinite(n)) throw new ModelSpecError(`${label}: '${v}' is not a number`);
      return n;
    }
  }
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Builds the validated spec of one role from parsed commander options (`opts[prefix]` and the
 * `--<prefix>-*` flags). A field given both in the spec string and as a flag is an error rather
 * than a silent override.
 */
export function modelSpecFromOptions(prefix: string, opts: Readonly<Record<string, unknown>>): ModelSpec {
  const head = opts[prefix];
  if (head !== undefined && typeof head !== 'string') throw new ModelSpecError(`--${prefix} must be a string`);
  if (head === undefined || head.trim() === '') throw new ModelSpecError(`--${prefix} is required (e.g. --${prefix} tool-calling)`);
  const { kind, fields } = splitSpecString(head);
  const inString = new Set(Object.keys(fields));
  for (const f of FIELDS) {
    const v = opts[camel(`${prefix}-${f.flag}`)];
    if (v === undefined) continue;
    if (inString.has(f.prop)) throw new ModelSpecError(`${f.key} is given both in --${prefix} '${head}' and as --${prefix}-${f.flag}; give it once`);
    fields[f.prop] = v;
  }
  return buildSpec(kind, fields, (f) => (inString.has(f.prop) ? `--${prefix} ${f.key}` : `--${prefix}-${f.flag}`));
}

/** Validates a spec from a config file: a spec string, or `{ kind, model, baseUrl, … }`. */
export function modelSpecFromConfig(value: unknown): ModelSpec {
  if (typeof value === 'string') return parseModelSpecString(value);
  const obj = z.looseObject({ kind: z.string().regex(KIND_RE) }).safeParse(value);
  if (!obj.success) throw new ModelSpecError(`model spec must be a string or an object with a kind: ${z.prettifyError(obj.error)}`);
  const { kind, ...rest } = obj.data;
  const unknownKeys = Object.keys(rest).filter((k) => !FIELDS.some((f) => f.prop === k));
  if (unknownKeys.length > 0) throw new ModelSpecError(`${kind}: unknown field(s) ${unknownKeys.join(', ')} (fields: ${FIELDS.map((f) => f.prop).join(', ')})`);
  return buildSpec(kind, rest as RawFields, (f) => f.prop);
}

/** The single-string form of a spec (round-trips through parseModelSpecString). */
export function formatModelSpec(spec: ModelSpec): string {
  if (!spec.llm) return spec.kind;
  const llm = spec.llm;
  const parts: string[] = [];
  for (const f of FIELDS) {
    const v = llm[f.prop];
    if (v !== undefined) parts.push(`${f.key}=${String(v)}`);
  }
  return `${spec.kind}:${parts.join(',')}`;
}
