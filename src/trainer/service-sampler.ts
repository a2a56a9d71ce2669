/** Sampler backend: the trainer service itself (CPU, small models). Weights are always current. */
import type { TrainerClient } from './client.ts';
import type { SampleRequest, SampledCompletion, Sampler } from './sampler.ts';

export class ServiceSampler implements Sampler {
  constructor(
    private readonly client: TrainerClient,
    private readonly sessionId: string,
  ) {}

  async sample(requests: SampleRequest[]): Promise<SampledCompletion[][]> {
    const out: SampledCompletion[][] = [];
    // Requests that share sampling parameters go in one batched call (left-padded on the service);
    // seeded requests keep their own seed per row, so they batch together too.
    const groups = new Map<string, number[]>();
    requests.forEach((r, i) => {
      const key = JSON.stringify([r.n, r.maxTokens, r.temperature, r.topP ?? 1, r.stopTokenIds ?? null, r.seed !== undefined]);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const idx of groups.values()) {
      const first = requests[idx[0]!]!;
      const res = await this.client.sample(this.sessionId, idx.map((i) => requests[i]!.promptIds), {
        n: first.n,
        max_tokens: first.maxTokens,
        temperature: first.temperature,
        top_p: first.topP ?? 1,
        ...(first.stopTokenIds ? { stop_token_ids: first.stopTokenIds } : {}),
        ...(first.seed !== undefined ? { seeds: idx.map((i) => requests[i]!.seed!) } : {}),
        ...(idx.some((i) => requests[i]!.audio?.length) && { audio: idx.map((i) => requests[i]!.audio ?? []) }),
      });
      idx.forEach((reqIndex, j) => {
        out[reqIndex] = res.samples[j]!.map((s) => ({ ids: s.ids, logprobs: s.logprobs, finishReason: s.finish_reason, text: s.text }));
      });
    }
    return out;
  }

  /** The service samples from the live session, so there is nothing to reload. */
  async update(): Promise<void> {}
}
