import type { PolicyRenderer } from '../agents/policy.ts';
import { BatchingSampler } from '../trainer/batching-sampler.ts';
import type { TrainerClient } from '../trainer/client.ts';
import { CompletionsSampler } from '../trainer/completions-sampler.ts';
import { startTrainer, type TrainerProcess } from '../trainer/process.ts';
import type { SessionInfo } from '../trainer/schemas.ts';
import { ServiceSampler } from '../trainer/service-sampler.ts';
import type { ModelSpec, SessionConfig } from '../trainer/types.ts';
import type { ModelSource } from './config.ts';

/** The policy as the loop drives it: a trainer session, its renderer, and where samples come from. */
export interface PolicyRuntime {
  client: TrainerClient;
  sessionId: string;
  info: SessionInfo;
  renderer: PolicyRenderer;
  /** Batches concurrent episodes' turns into one call. */
  sampler: BatchingSampler;
  /** True when a separate inference server samples (log-probs are then recomputed by the trainer). */
  external: boolean;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  model: ModelSource;
  lora: { rank: number; alpha: number } | null;
  dtype: 'float32' | 'bfloat16' | 'float16';
  device: string;
  critic: 'none' | 'shared' | 'separate';
  threads: number;
  /** Ranks of a service started here (default 1). */
  nproc?: number | undefined;
  gradientCheckpointing?: boolean | undefined;
  kvCacheTokens?: number | undefined;
  trainAudioTower?: boolean | undefined;
  seed: number;
  /** Needed for KL to the reference (the initial weights). */
  reference: boolean;
  optimizer: NonNullable<SessionConfig['optimizer']>;
  sampler: { kind: 'service' | 'completions'; baseUrl?: string | undefined; model?: string | undefined; server?: 'vllm' | 'sglang' | undefined };
  /** A running service to use instead of starting one (tests, benches). */
  service?: TrainerProcess;
}

export function modelSpecOf(m: ModelSource): ModelSpec {
  return m;
}

/** The service's renderer for one session. */
export function serviceRenderer(client: TrainerClient, sessionId: string, imEndId: number): PolicyRenderer {
  return {
    imEndId,
    render: (p) => client.render(sessionId, { ...p, tools: p.tools ? [...p.tools] : undefined }),
  };
}

/**
 * Starts (or reuses) the trainer service, creates the policy session, and wires the sampler:
 * the service itself, or a completions server (vLLM/SGLang) that serves the same weights.
 */
export async function startRuntime(o: RuntimeOptions): Promise<PolicyRuntime> {
  const service = o.service ?? (await startTrainer({ threads: o.threads, ...(o.nproc !== undefined && { nproc: o.nproc }) }));
  const owned = o.service === undefined;
  try {
    const client = service.client;
    const info = await client.createSession({
      model: modelSpecOf(o.model),
      lora: o.lora,
      seed: o.seed,
      dtype: o.dtype,
      device: o.device,
      critic: o.critic,
      reference: o.reference ? 'initial' : null,
      ...(o.kvCacheTokens !== undefined && { kv_cache_tokens: o.kvCacheTokens }),
      ...(o.trainAudioTower !== undefined && { train_audio_tower: o.trainAudioTower }),
      ...(o.gradientCheckpointing && { gradient_checkpointing: true }),
      optimizer: o.optimizer,
    });
    const renderer = serviceRenderer(client, info.session_id, info.im_end_id);
    let inner;
    if (o.sampler.kind === 'service') inner = new ServiceSampler(client, info.session_id);
    else {
      if (!o.sampler.baseUrl || !o.sampler.model) throw new Error('sampler kind completions needs sampler.baseUrl and sampler.model');
      inner = new CompletionsSampler({ baseUrl: o.sampler.baseUrl, model: o.sampler.model, ...(o.sampler.server && { server: o.sampler.server }) });
    }
    return {
      client,
      sessionId: info.session_id,
      info,
      renderer,
      sampler: new BatchingSampler(inner),
      external: o.sampler.kind !== 'service',
      async stop() {
        await client.deleteSession(info.session_id).catch(() => undefined);
        if (owned) await service.stop();
      },
    };
  } catch (e) {
    if (owned) await service.stop();
    throw e;
  }
}
