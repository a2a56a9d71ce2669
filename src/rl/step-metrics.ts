import type { Trajectory } from '../episode/trajectory.ts';
import type { CreditResult } from './credit.ts';
import { turnScores } from './credit.ts';
import { isFailedObservation } from '../sandbox/observation.ts';

/** One step's metrics line, gathered as the step runs (namespaces as in design.md §5). */
export class StepMetrics {
  private readonly m: Record<string, number> = {};

  add(values: Record<string, number>): void {
    for (const [k, v] of Object.entries(values)) if (Number.isFinite(v)) this.m[k] = v;
  }

  /** The mean over calls of every metric whose name starts with one of `prefixes`, renamed with `as` + name. */
  mean(calls: readonly Record<string, number>[], prefixes: readonly string[], as = ''): void {
    const sums = new Map<string, [number, number]>();
    for (const c of calls) {
      for (const [k, v] of Object.entries(c)) {
        if (!prefixes.some((p) => k.startsWith(p)) || !Number.isFinite(v)) continue;
        const s = sums.get(k) ?? [0, 0];
        sums.set(k, [s[0] + v, s[1] + 1]);
      }
    }
    for (const [k, [sum, n]] of sums) this.m[as + k] = sum / n;
  }

  values(): Record<string, number> {
    return { ...this.m };
  }
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

/**
 * `reward/` and `env/` metrics of a step's rollouts. `reward/outcome` is the verifier's success
 * rate on the training tasks (never a shaped number); `env/steps` is watched for length hacking.
 */
export function rolloutMetrics(groups: readonly (readonly Trajectory[])[], credit: CreditResult): Record<string, number> {
  const all = groups.flat();
  const rewards = credit.credits.flat().map((c) => c.reward);
  const tool = all.filter((t) => t.domain !== 'math');
  const math = all.filter((t) => t.domain === 'math');
  const scores = tool.flatMap((t) => turnScores(t) ?? []);
  const sampled = all.flatMap((t) => t.steps.flatMap((s) => s.tokens?.logprobs ?? []));
  const out: Record<string, number> = {
    'reward/mean': mean(rewards),
    'reward/std': std(rewards),
    'reward/outcome': mean(tool.map((t) => t.reward)),
    'reward/turn_score_mean': mean(scores),
    'reward/turn_score_neg_rate': scores.length ? scores.filter((s) => s < 0).length / scores.length : 0,
    'env/episodes': all.length,
    'env/steps': mean(all.map((t) => t.steps.length)),
    'env/max_steps_rate': mean(all.map((t) => (t.termination === 'max_steps' ? 1 : 0))),
    'env/transfer_rate': mean(tool.map((t) => (t.termination === 'agent_transfer' ? 1 : 0))),
    'env/tool_errors': mean(tool.map((t) => t.steps.filter((s) => s.observation !== undefined && isFailedObservation(s.observation)).length)),
    'env/completion_tokens': mean(all.map((t) => t.steps.reduce((a, s) => a + (s.tokens?.completionIds.length ?? 0), 0))),
    // The mean negative log-prob of sampled tokens: a Monte Carlo estimate of the policy's entropy.
    'ppo/entropy_estimate': mean(sampled.map((x) => -x)),
    'ppo/groups': groups.length,
    'ppo/dropped_groups': credit.dropped,
    'ppo/unjudged_groups': credit.unjudged,
  };
  if (math.length) out['reward/math_outcome'] = mean(math.map((t) => t.reward));
  if (credit.gigpo) {
    out['ppo/gigpo_step_groups'] = credit.gigpo.stepGroups;
    out['ppo/gigpo_matched_turns'] = credit.gigpo.totalTurns ? credit.gigpo.matchedTurns / credit.gigpo.totalTurns : 0;
  }
  return out;
}
