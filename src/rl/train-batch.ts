import type { Trajectory } from '../episode/trajectory.ts';
import { Rng } from '../generate/prng.ts';
import type { Datum } from '../trainer/types.ts';
import type { AudioSource } from '../voice/store.ts';
import { lossWeights, type Aggregation } from './aggregation.ts';
import { permutation } from './curriculum.ts';
import type { Credit } from './credit.ts';
import { episodeTokens, type TokenSequence } from './episode-tokens.ts';

/** One sequence the update trains on, with its per-token advantages (index `_T` as in TokenSequence). */
export interface TrainItem {
  seq: TokenSequence;
  /** Advantage of each sampled token (its turn's advantage; per-token for GAE), 0 elsewhere. */
  advantages_T: number[];
  /** Log-probs the PPO ratio is taken against: the sampler's, or the trainer's when recomputed. */
  oldLogprobs_T: number[];
  /** GAE only: the critic's values and the returns. */
  values_T?: number[];
  returns_T?: number[];
  /** Which rollout it came from (group, sample). */
  from: { group: number; sample: number };
}

export interface BuiltItems {
  items: TrainItem[];
  prefixBreaks: number;
  /** Turns without token records (nothing to train on). */
  missingTokens: number;
}

/**
 * Turns the step's kept rollouts into train items: each rollout's token records merged into
 * sequences (episodeTokens), each sampled token carrying its turn's advantage. Rollouts of
 * dropped groups carry no signal and are left out (they would only cost compute).
 */
export function buildItems(groups: readonly (readonly Trajectory[])[], credits: readonly (readonly Credit[])[], opts: { maskUnparsed: boolean }): BuiltItems {
  const out: BuiltItems = { items: [], prefixBreaks: 0, missingTokens: 0 };
  groups.forEach((rollouts, g) =>
    rollouts.forEach((t, i) => {
      const credit = credits[g]![i]!;
      if (!credit.kept) return;
      const tokens = episodeTokens(t.steps, { maskUnparsed: opts.maskUnparsed });
      out.prefixBreaks += tokens.prefixBreaks;
      out.missingTokens += tokens.missing;
      for (const seq of tokens.sequences) {
        const advantages_T = seq.turn_T.map((k, T) => (seq.mask_T[T] ? credit.advantages_K[k] ?? 0 : 0));
        out.items.push({ seq, advantages_T, oldLogprobs_T: seq.logprobs_T, from: { group: g, sample: i } });
      }
    }),
  );
  return out;
}

/**
 * Per-token rewards for GAE: each turn's reward on that turn's last sampled token (design.md §6:
 * with a critic, a turn's reward sits on its last token).
 */
export function turnRewardsOnTokens(seq: TokenSequence, rewards_K: readonly number[]): number[] {
  const rewards_T = new Array<number>(seq.ids_T.length).fill(0);
  const last = new Map<number, number>();
  seq.turn_T.forEach((k, T) => {
    if (k >= 0 && seq.mask_T[T]) last.set(k, T);
  });
  for (const [k, T] of last) rewards_T[T] = rewards_K[k] ?? 0;
  return rewards_T;
}

/** A sequence's audio spans as the service takes them (input_ids keep every index: the shift drops the last id only). */
export function audioOf(seq: TokenSequence, source: AudioSource | undefined): NonNullable<Datum['audio']> {
  if (!seq.audio?.length) return [];
  if (!source) throw new Error('a token sequence has audio spans but no audio source was given to find their files');
  return seq.audio.map((a) => ({ at: a.at, path: source.path(a.sha256), sha256: a.sha256 }));
}

/** Splits items into `n` minibatches in a seeded order (a function of seed, step and epoch). */
export function minibatches<T>(items: readonly T[], n: number, seed: string): T[][] {
  const order = permutation(items.length, new Rng(seed));
  const k = Math.max(1, Math.min(n, items.length));
  const out: T[][] = Array.from({ length: k }, () => []);
  order.forEach((idx, j) => out[j % k]!.push(items[idx]!));
  return out.filter((b) => b.length > 0);
}

/**
 * The service's data for one minibatch: input_ids[i] predicts target_ids[i] (a shift by one),
 * and the loss aggregation folded into the weights (the service sums weighted terms), so
 * Σ weights·loss is the chosen aggregate (token-mean by default). `multipliers_DT` (truncated
 * importance weights, 0 for masked sequences) scale the advantages. A sequence with audio spans
 * names each file by its path in `audio` (the run's audio store), which the service reads.
 */
export function toData(batch: readonly TrainItem[], aggregation: Aggregation, multipliers_DT?: readonly (readonly number[])[], audio?: AudioSource): Datum[] {
  const weights_DT = lossWeights(
    batch.map((it) => it.seq.mask_T),
    aggregation,
  );
  return batch.map((it, d) => {
    const m_T = multipliers_DT?.[d];
    const shift = (xs: readonly number[]): number[] => xs.slice(1);
    const datum: Datum = {
      input_ids: it.seq.ids_T.slice(0, -1),
      target_ids: shift(it.seq.ids_T),
      weights: shift(weights_DT[d]!),
      advantages: shift(it.advantages_T.map((a, T) => (m_T ? a * m_T[T]! : a))),
      old_logprobs: shift(it.oldLogprobs_T),
    };
    if (it.values_T && it.returns_T) {
      datum.old_values = shift(it.values_T);
      datum.returns = shift(it.returns_T);
    }
    if (it.seq.audio?.length) datum.audio = audioOf(it.seq, audio);
    return datum;
  });
}
