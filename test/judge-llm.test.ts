import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import type { JudgeRecord, StepRecord, Trajectory } from '../src/episode/trajectory.ts';
import { ChatClient } from '../src/llm/client.ts';
import { LlmJudge } from '../src/judge/llm-judge.ts';
import { delay, text, withLlmServer } from './support/llm-server.ts';

const task: Task = {
  id: 'test/0',
  domain: 'retail',
  split: 'test',
  index: 0,
  userId: 'yusuf_rossi_9620',
  instruction: 'Cancel order #W1 because you no longer need it.',
  actions: [{ name: 'cancel_pending_order', kwargs: new Map<string, string>([['order_id', '#W1'], ['reason', 'no longer needed']]) }],
  outputs: [],
};

function trajectory(turns: number): Trajectory {
  const steps: StepRecord[] = Array.from({ length: turns }, (_, turn) => ({
    turn,
    action: { type: 'respond', content: `agent says ${turn} <script>alert(1)</script>` },
    messageIndex: 2 + turn * 2,
    userReply: 'ok',
    wallMs: 1,
  }));
  return {
    schema: 1, taskId: task.id, domain: 'retail', split: 'test', taskIndex: 0, trial: 0, seed: 0, agent: 'a', user: 'u',
    messages: [], steps, termination: 'user_stop', reward: 0,
    injection: { kind: 'secret-injection-record' },
    usage: { agent: { promptTokens: 0, completionTokens: 0, costUsd: 0 }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 1, startedAt: '2026-01-01T00:00:00Z',
  };
}

const JudgeRecordAssertions = {
  ok(rec: JudgeRecord, scores: number[]): void {
    expect(rec.status, rec.error).toBe('ok');
    expect(rec.verdicts.map((v) => v.score)).toEqual(scores);
    expect(rec.verdicts.map((v) => v.turn)).toEqual(scores.map((_, i) => i));
  },
};
const verdicts = (...scores: number[]) => JSON.stringify({ turns: scores.map((score, turn) => ({ turn, score, rationale: `r${turn}` })) });
const client = (url: string, timeoutMs = 5_000) =>
  new ChatClient({ model: 'judge-model', baseUrl: url, timeoutMs, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 3_000 } });

describe('LlmJudge against the local server', () => {
  it('accepts valid JSON, sends temperature 0 and a JSON schema, and hides the injection record', async () => {
    await withLlmServer([text(verdicts(1, -1, 0))], async (server) => {
      const rec = await new LlmJudge(client(server.baseUrl)).judge({ task, policy: 'POLICY', trajectory: trajectory(3) });
      JudgeRecordAssertions.ok(rec, [1, -1, 0]);
      const body = server.requests[0]!.body as Record<string, unknown>;
      expect(body.temperature).toBe(0);
      expect((body.response_format as { type: string }).type).toBe('json_schema');
      const sent = JSON.stringify(body.messages);
      expect(sent).toContain('[agent turn 2]');
      expect(sent).not.toContain('secret-injection-record');
    });
  });
  it('retries after two -1s and after missing or extra turns, telling the model why', async () => {
    await withLlmServer([text(verdicts(-1, -1, 1)), text(verdicts(1, 1)), text(verdicts(1, 1, 1, 1)), text(verdicts(1, 0, -1))], async (server) => {
      const rec = await new LlmJudge(client(server.baseUrl), { retries: 3 }).judge({ task, policy: 'P', trajectory: trajectory(3) });
      JudgeRecordAssertions.ok(rec, [1, 0, -1]);
      expect(server.requests).toHaveLength(4);
      const last = JSON.stringify((server.requests[3]!.body as { messages: unknown }).messages);
      expect(last).toContain('turn 3 does not exist');
    });
  });
  it('repairs prose-wrapped JSON without another call', async () => {
    await withLlmServer([text('Sure! ```json\n' + verdicts(1, 1) + '\n```')], async (server) => {
      const rec = await new LlmJudge(client(server.baseUrl)).judge({ task, policy: 'P', trajectory: trajectory(2) });
      JudgeRecordAssertions.ok(rec, [1, 1]);
      expect(server.requests).toHaveLength(1);
    });
  });
  it('marks judge_failed with the raw output after the retry budget (prose instead of JSON)', async () => {
    await withLlmServer([text('The agent did fine.'), text('Still fine, really.')], async (server) => {
      const rec = await new LlmJudge(client(server.baseUrl), { retries: 1 }).judge({ task, policy: 'P', trajectory: trajectory(2) });
      expect(rec.status).toBe('judge_failed');
      expect(rec.raw).toContain('The agent did fine.');
      expect(rec.raw).toContain('Still fine, really.');
      expect(rec.error).toMatch(/invalid after 2 attempts/);
    });
  });
  it('marks judge_failed when the endpoint times out past its retry budget', async () => {
    await withLlmServer([delay(2_000, text(verdicts(1))), delay(2_000, text(verdicts(1)))], async (server) => {
      const rec = await new LlmJudge(client(server.baseUrl, 200)).judge({ task, policy: 'P', trajectory: trajectory(1) });
      expect(rec.status).toBe('judge_failed');
      expect(rec.error).toBeTruthy();
    });
  });
});
