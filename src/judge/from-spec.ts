import type { ModelSpec } from '../llm/model-spec.ts';
import { chatClientFromSpec, type ClientOptions } from '../llm/spec-client.ts';
import type { Judge } from './judge.ts';
import { JUDGE_KINDS } from './kinds.ts';
import { LlmJudge } from './llm-judge.ts';
import { OracleJudge } from './oracle-judge.ts';

/** `oracle` (deterministic rules) or `llm` with a model (`llm:model=gpt-4.1,…`). */
export function createJudge(spec: ModelSpec, client: ClientOptions = {}, retries?: number): Judge {
  if (spec.kind === 'oracle') {
    if (spec.llm) throw new Error(`judge 'oracle' takes no model (got model=${spec.llm.model})`);
    return new OracleJudge();
  }
  if (spec.kind === 'llm') {
    if (!spec.llm) throw new Error("judge 'llm' needs a model (--judge-model NAME or llm:model=NAME)");
    return new LlmJudge(chatClientFromSpec(spec.llm, client), retries === undefined ? {} : { retries });
  }
  throw new Error(`unknown judge '${spec.kind}' (known: ${JUDGE_KINDS.join(', ')})`);
}
