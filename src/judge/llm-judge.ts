import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { repoPath } from '../paths.ts';
import type { ChatMessage } from '../chat/messages.ts';
import type { JudgeRecord } from '../episode/trajectory.ts';
import type { ChatClient } from '../llm/client.ts';
import type { Judge, JudgeInput } from './judge.ts';
import { judgeView } from './judge.ts';
import { judgeMessage } from './transcript.ts';
import { validateVerdicts } from './validate.ts';

const PROMPT_NAME = 'turn-judge-v1';
const PROMPT = readFileSync(repoPath('src', 'judge', 'prompts', `${PROMPT_NAME}.md`), 'utf8');
/** Name plus content hash: an edited prompt is a new version in every run's provenance. */
export const JUDGE_PROMPT_VERSION = `${PROMPT_NAME}@${createHash('sha256').update(PROMPT).digest('hex').slice(0, 12)}`;

/** Structured output schema sent as `response_format` (servers without support ignore it). */
const RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'turn_verdicts',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['turns'],
      properties: {
        turns: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['turn', 'score', 'rationale'],
            properties: { turn: { type: 'integer' }, score: { type: 'integer', enum: [-1, 0, 1] }, rationale: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

export interface LlmJudgeOptions {
  /** Extra model calls after an invalid reply (each told what was wrong). */
  retries?: number;
}

/**
 * The TARL judge over an OpenAI-compatible model: temperature 0, structured output, strict
 * validation (every agent turn scored once, scores in {−1,0,+1}, at most one −1). An invalid
 * reply is repaired only where unambiguous, else the model is asked again with the error; after
 * the retry budget the episode is marked `judge_failed` with the raw output kept. Caching and
 * rate limits come from the client.
 */
export class LlmJudge implements Judge {
  readonly name: string;
  readonly promptVersion = JUDGE_PROMPT_VERSION;
  private readonly retries: number;

  constructor(
    private readonly client: ChatClient,
    opts: LlmJudgeOptions = {},
  ) {
    this.name = `llm:${client.model}`;
    this.retries = opts.retries ?? 2;
  }

  async judge(input: JudgeInput, signal?: AbortSignal): Promise<JudgeRecord> {
    const t = judgeView(input.trajectory);
    const turns = t.steps.length;
    const base = { judge: this.name, promptVersion: this.promptVersion };
    if (turns === 0) return { ...base, status: 'ok', verdicts: [] };
    const messages: ChatMessage[] = [
      { role: 'system', content: PROMPT },
      { role: 'user', content: judgeMessage(input.task, input.policy, t) },
    ];
    const raws: string[] = [];
    let lastError = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      let raw: string;
      try {
        const res = await this.client.chat(
          { messages, sampling: { temperature: 0, extraBody: { response_format: RESPONSE_FORMAT } } },
          { trial: attempt, ...(signal ? { signal } : {}) },
        );
        raw = res.message.content ?? '';
      } catch (e) {
        return { ...base, status: 'judge_failed', verdicts: [], error: e instanceof Error ? e.message : String(e), ...(raws.length ? { raw: raws.join('\n---\n') } : {}) };
      }
      raws.push(raw);
      const v = validateVerdicts(raw, turns);
      if (v.ok) return { ...base, status: 'ok', verdicts: v.verdicts };
      lastError = v.error;
      messages.push({ role: 'assistant', content: raw });
      messages.push({
        role: 'user',
        content: `Your answer is invalid: ${v.error}. Reply again with JSON only: one entry for each agent turn 0..${turns - 1}, scores -1, 0 or 1, at most one -1.`,
      });
    }
    return { ...base, status: 'judge_failed', verdicts: [], raw: raws.join('\n---\n'), error: `invalid after ${this.retries + 1} attempts: ${lastError}` };
  }
}
