/**
 * Flags that choose a τ² world variant, shared by `tarl eval` and `tarl serve`:
 * banking's retrieval variant and its embeddings endpoint, telecom's policy type.
 */
import type { Command } from 'commander';
import type { WorldOptions } from '../../dataset/tau2.ts';
import { RETRIEVAL_VARIANTS, type RetrievalVariant } from '../../domains/tau2-banking/knowledge.ts';

export interface Tau2WorldFlags {
  retrieval?: string;
  embeddingsBaseUrl?: string;
  embeddingsModel?: string;
  embeddingsApiKeyEnv?: string;
  telecomPolicy?: string;
}

export function addTau2WorldFlags(cmd: Command): Command {
  return cmd
    .option('--retrieval <variant>', `τ² banking_knowledge: ${RETRIEVAL_VARIANTS.join(', ')} (default no_knowledge)`)
    .option('--embeddings-base-url <url>', 'τ² banking openai_embeddings*: OpenAI-compatible endpoint (POST {url}/embeddings)')
    .option('--embeddings-model <name>', 'τ² banking openai_embeddings*: embedding model', 'text-embedding-3-large')
    .option('--embeddings-api-key-env <var>', 'τ² banking openai_embeddings*: environment variable holding the API key')
    .option('--telecom-policy <type>', 'τ² telecom: manual (default) or workflow');
}

/** The world options the flags ask for; flags that do not apply to the domain are refused. */
export function tau2WorldOptions(f: Tau2WorldFlags, domains: readonly string[]): WorldOptions {
  const o: WorldOptions = {};
  if (f.retrieval !== undefined) {
    if (!domains.includes('banking_knowledge')) throw new Error('--retrieval applies to the τ² banking_knowledge domain only');
    if (!(RETRIEVAL_VARIANTS as readonly string[]).includes(f.retrieval)) throw new Error(`--retrieval must be one of ${RETRIEVAL_VARIANTS.join(', ')} (got '${f.retrieval}')`);
    o.retrieval = f.retrieval as RetrievalVariant;
  }
  if (f.embeddingsBaseUrl !== undefined) {
    if (!o.retrieval?.startsWith('openai_embeddings')) throw new Error('--embeddings-base-url needs --retrieval openai_embeddings or openai_embeddings_grep');
    o.embeddings = { baseUrl: f.embeddingsBaseUrl, model: f.embeddingsModel ?? 'text-embedding-3-large', ...(f.embeddingsApiKeyEnv !== undefined && { apiKeyEnv: f.embeddingsApiKeyEnv }) };
  } else if (o.retrieval?.startsWith('openai_embeddings')) {
    throw new Error(`--retrieval ${o.retrieval} needs --embeddings-base-url`);
  }
  if (f.telecomPolicy !== undefined) {
    if (!domains.includes('telecom')) throw new Error('--telecom-policy applies to the τ² telecom domain only');
    if (f.telecomPolicy !== 'manual' && f.telecomPolicy !== 'workflow') throw new Error(`--telecom-policy must be manual or workflow (got '${f.telecomPolicy}')`);
    o.policyType = f.telecomPolicy;
  }
  return o;
}
