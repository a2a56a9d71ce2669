import { UNREADABLE_OUTPUT } from '../chat/tool-call-format.ts';
import { confirmedAt } from '../dialogue/confirmation.ts';
import { getDomain } from '../domains/registry.ts';
import { recordedKwargs, type JudgeRecord, type TurnVerdict } from '../episode/trajectory.ts';
import { eq } from '../py/ops.ts';
import { parsePy } from '../py/parse.ts';
import { isDict } from '../py/value.ts';
import type { Judge, JudgeInput } from './judge.ts';

/** Mistake kinds the oracle can see, most significant first. */
const SEVERITY = { wrong_write: 5, unconfirmed_write: 4, wrong_user: 3, premature_transfer: 2, unreadable: 1, missing_output: 1, incomplete: 1 } as const;
type Mistake = keyof typeof SEVERITY;

interface Candidate {
  turn: number;
  kind: Mistake;
  why: string;
}

const isError = (obs: string | undefined): boolean => obs !== undefined && /^(Error:|Unknown action)/.test(obs);
const isUnreadable = (obs: string | undefined): boolean => obs !== undefined && obs.startsWith(UNREADABLE_OUTPUT);

/**
 * A deterministic adjudicator that sees only what an LLM judge sees: the task (ground truth,
 * user, required outputs), the transcript and the verifier's verdict — never the flawed agent's
 * injection record. Rules (docs/judge.md):
 * - a write matching a not-yet-matched ground-truth action (name and Python-equal arguments) +1;
 *   a successful write matching none is a `wrong_write`; a matching one made without the user's
 *   explicit yes just before it (every policy here asks for one) is an `unconfirmed_write`; a
 *   failed write 0;
 * - an output the agent could not have meant (no readable reply or tool call) is `unreadable`;
 * - a read that returns another user's record is `wrong_user` unless the ground truth makes the same
 *   read (e.g. to check who owns an order); other reads, think +1; failed 0;
 * - `transfer_to_human_agents` +1 when the ground truth transfers, else `premature_transfer`;
 * - replies to the user +1, except the last one when a required output was never said;
 * - the single −1 goes to the most significant mistake (earliest on ties), other mistakes 0;
 *   when the episode failed with no visible mistake, the last turn gets −1 (`incomplete`);
 * - in a failed episode every turn after the −1 carries the error: 0.
 * Blind spot (by construction): a hallucinated fact in prose looks correct from the transcript.
 */
export class OracleJudge implements Judge {
  readonly name = 'oracle';
  readonly promptVersion = 'oracle-rules-1';

  async judge(input: JudgeInput): Promise<JudgeRecord> {
    const { task, trajectory: t } = input;
    const kinds = new Map(getDomain(task.domain).tools.map((tool) => [tool.name, tool.kind]));
    const gtWrites = task.actions.filter((a) => kinds.get(a.name) === 'write');
    const matched = new Set<number>();
    const transferExpected = task.actions.some((a) => a.name === 'transfer_to_human_agents');
    const verdicts: TurnVerdict[] = [];
    const candidates: Candidate[] = [];
    const lastRespond = t.steps.reduce((last, s) => (s.action.type === 'respond' ? s.turn : last), -1);
    const missingOutputs = (t.rewardInfo?.outputs ?? []).filter((o) => !o.found).map((o) => o.output);

    for (const step of t.steps) {
      const a = step.action;
      const turn = step.turn;
      let score: TurnVerdict['score'] = 1;
      let rationale = '';
      if (a.type === 'respond') {
        rationale = 'reply to the user';
        if (turn === lastRespond && missingOutputs.length > 0) {
          candidates.push({ turn, kind: 'missing_output', why: `never told the user: ${missingOutputs.join(', ')}` });
        }
      } else if (a.name === 'transfer_to_human_agents') {
        if (transferExpected) rationale = 'transfer the task requires';
        else candidates.push({ turn, kind: 'premature_transfer', why: 'transferred although the task is solvable' });
      } else if (isUnreadable(step.observation)) {
        // A format slip is a visible mistake even when the episode recovers: without it, RL
        // from a small model lets malformed turns grow unpunished (docs/demo.md).
        candidates.push({ turn, kind: 'unreadable', why: 'the output held no readable reply or tool call' });
      } else if (isError(step.observation)) {
        score = 0;
        rationale = `call failed: ${step.observation!.slice(0, 80)}`;
      } else if (kinds.get(a.name) === 'write') {
        const kwargs = recordedKwargs(a);
        const i = gtWrites.findIndex((g, j) => !matched.has(j) && g.name === a.name && eq(g.kwargs, kwargs));
        if (i >= 0) {
          matched.add(i);
          if (confirmedAt(t.messages, step.messageIndex)) rationale = `${a.name} as the ground truth requires`;
          else candidates.push({ turn, kind: 'unconfirmed_write', why: `${a.name} without the user's explicit yes before it` });
        } else candidates.push({ turn, kind: 'wrong_write', why: `${a.name} with arguments the ground truth does not have` });
      } else {
        const kwargs = recordedKwargs(a);
        const inTruth = task.actions.some((g) => g.name === a.name && eq(g.kwargs, kwargs));
        const other = inTruth ? undefined : otherUser(step.observation, task.userId);
        if (other && !a.name.startsWith('find_user_id')) {
          candidates.push({ turn, kind: 'wrong_user', why: `read a record of another user (${other})` });
        } else rationale = a.name.startsWith('think') ? 'reasoning step' : `look-up (${a.name})`;
      }
      verdicts.push({ turn, score, rationale });
    }

    const failed = t.reward < 1;
    if (failed && candidates.length === 0 && verdicts.length > 0) {
      const what = (t.rewardInfo?.diff ?? []).map((d) => `${d.table}/${d.key}`).join(', ');
      candidates.push({ turn: verdicts.length - 1, kind: 'incomplete', why: `ended without the required changes${what ? ` (${what})` : ''}` });
    }
    const worst = [...candidates].sort((x, y) => SEVERITY[y.kind] - SEVERITY[x.kind] || x.turn - y.turn)[0];
    for (const c of candidates) {
      const v = verdicts[c.turn]!;
      v.score = c === worst ? -1 : 0;
      v.rationale = `${c === worst ? '' : 'also problematic: '}${c.kind}: ${c.why}`;
    }
    if (worst && failed) {
      for (const v of verdicts) {
        if (v.turn > worst.turn && v.score === 1) {
          v.score = 0;
          v.rationale = `carries the earlier error (turn ${worst.turn}); ${v.rationale}`;
        }
      }
    }
    return { judge: this.name, promptVersion: this.promptVersion, status: 'ok', verdicts };
  }
}

/** The user id a read returned, when it is a record belonging to someone else. */
function otherUser(observation: string | undefined, userId: string): string | undefined {
  if (!observation || !observation.startsWith('{')) return undefined;
  try {
    const v = parsePy(observation);
    if (!isDict(v)) return undefined;
    const owner = v.get('user_id');
    return typeof owner === 'string' && owner !== userId ? owner : undefined;
  } catch {
    return undefined;
  }
}
