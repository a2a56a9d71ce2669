import type { DeltaAudio } from '../chat/messages.ts';
import type { StepRecord } from '../episode/trajectory.ts';

/**
 * One token sequence of an episode, as the loss sees it. Indexed by token (`_T`):
 *   ids_T       every id: rendered deltas (prompt, observations, user turns) and sampled ids
 *   mask_T      1 on sampled agent tokens that carry loss, 0 elsewhere (invariant 2)
 *   logprobs_T  the sampler's log-prob of each sampled token, 0 elsewhere
 *   turn_T      the agent turn (StepRecord.turn) a sampled token belongs to, −1 elsewhere
 * and, for speech turns on an audio model, `audio`: each span of audio placeholder ids (by its
 * first index into ids_T) and the WAV it stands for, so the trainer rebuilds the same embeddings.
 */
export interface TokenSequence {
  ids_T: number[];
  mask_T: number[];
  logprobs_T: number[];
  turn_T: number[];
  audio?: DeltaAudio[];
}

export interface EpisodeTokens {
  sequences: TokenSequence[];
  /** Turns whose prompt did not extend the previous prompt and completion (a new sequence began). */
  prefixBreaks: number;
  /** Turns without token records (a policy that does not report tokens): nothing to train on. */
  missing: number;
}

export interface EpisodeTokensOptions {
  /** Give 0 weight to completions that did not parse (so the loss never pushes up broken markup). */
  maskUnparsed?: boolean;
}

const empty = (): TokenSequence => ({ ids_T: [], mask_T: [], logprobs_T: [], turn_T: [] });

function startsWith(xs: readonly number[], prefix: readonly number[]): boolean {
  if (prefix.length > xs.length) return false;
  for (let i = 0; i < prefix.length; i++) if (xs[i] !== prefix[i]) return false;
  return true;
}

/**
 * Merges an episode's per-turn token records into as few sequences as the prefix property
 * allows (tinker-cookbook's `data_processing` rule). A token-native policy records each turn's
 * delta, so its episode is always one sequence. A server that reports whole prompts is merged
 * while each prompt extends the sequence so far; when one does not (the conversation was
 * re-rendered differently), the sequence so far is closed, a new one starts from that prompt,
 * and the break is counted (`perf/prefix_breaks`).
 *
 * Worked example (token-native): turn 0 delta [1,2,3] sampled [4,5]; turn 1 delta [6] sampled [7]:
 *   ids_T [1,2,3,4,5,6,7]  mask_T [0,0,0,1,1,0,1]  turn_T [−1,−1,−1,0,0,−1,1].
 */
export function episodeTokens(steps: readonly StepRecord[], opts: EpisodeTokensOptions = {}): EpisodeTokens {
  const out: EpisodeTokens = { sequences: [], prefixBreaks: 0, missing: 0 };
  let cur = empty();
  const push = (ids: readonly number[], mask: number, logprobs: readonly number[] | null, turn: number): void => {
    ids.forEach((id, i) => {
      cur.ids_T.push(id);
      cur.mask_T.push(mask);
      cur.logprobs_T.push(logprobs ? logprobs[i]! : 0);
      cur.turn_T.push(mask || logprobs ? turn : -1);
    });
  };
  for (const step of steps) {
    const t = step.tokens;
    if (!t || t.completionIds.length === 0) {
      out.missing++;
      continue;
    }
    if (t.completionIds.length !== t.logprobs.length) throw new Error(`turn ${step.turn}: ${t.completionIds.length} sampled ids but ${t.logprobs.length} log-probs`);
    if (t.deltaIds) {
      for (const a of t.deltaAudio ?? []) (cur.audio ??= []).push({ at: cur.ids_T.length + a.at, sha256: a.sha256 });
      push(t.deltaIds, 0, null, -1);
    } else if (t.promptIds) {
      if (startsWith(t.promptIds, cur.ids_T)) push(t.promptIds.slice(cur.ids_T.length), 0, null, -1);
      else {
        out.prefixBreaks++;
        out.sequences.push(cur);
        cur = empty();
        push(t.promptIds, 0, null, -1);
      }
    } else throw new Error(`turn ${step.turn}: token record has neither deltaIds nor promptIds`);
    const weight = opts.maskUnparsed && t.parsed === false ? 0 : 1;
    push(t.completionIds, weight, t.logprobs, step.turn);
  }
  if (cur.ids_T.length > 0) out.sequences.push(cur);
  return out;
}
