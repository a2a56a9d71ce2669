/**
 * The NL_ASSERTION judge over an OpenAI-compatible endpoint, as τ²'s `NLAssertionsEvaluator`
 * asks it: the transcript as `role: content` lines and the expected outcomes; a JSON object
 * `{"results": [{"expectedOutcome", "reasoning", "metExpectation"}]}` back. An unusable
 * answer is retried once, then the episode is marked with why (never silently scored).
 */
import type { ChatClient } from '../llm/client.ts';
import type { Tau2Message } from '../episode/tau2-messages.ts';
import type { NlAssertionCheck, NlJudge } from './tau2-reward.ts';

const SYSTEM = `TASK
- You will be given a list of expected outcomes and a conversation that was collected during a test case run.
- The conversation is between an agent and a customer.
- Your job is to evaluate whether the agent satisfies each of the expected outcomes.
- Grade each expected outcome individually.

FORMAT
- Your response should be a JSON object with the following fields:
- \`reasoning\`: a short explanation for your classification
- \`metExpectation\`: \`true\` if the agent satisfies the expected outcomes, \`false\` otherwise
- \`expectedOutcome\`: repeat the expectation from the input that you are grading

Example response structure:
{"results": [{"expectedOutcome": "<one of the expected outcomes from the input>", "reasoning": "<reasoning trace>", "metExpectation": <false or true>}]}`;

export function transcript(messages: readonly Tau2Message[]): string {
  return messages.map((m) => `${m.role}: ${m.content ?? ''}`).join('\n');
}

function parse(text: string, assertions: readonly string[]): NlAssertionCheck[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the judge reply');
  const data = JSON.parse(text.slice(start, end + 1)) as { results?: unknown };
  if (!Array.isArray(data.results)) throw new Error('the judge reply has no "results" list');
  const out = data.results.map((r: unknown, i: number) => {
    const o = r as { expectedOutcome?: unknown; reasoning?: unknown; metExpectation?: unknown };
    if (typeof o.metExpectation !== 'boolean') throw new Error(`result ${i}: "metExpectation" must be true or false`);
    return { assertion: typeof o.expectedOutcome === 'string' ? o.expectedOutcome : (assertions[i] ?? ''), met: o.metExpectation, justification: String(o.reasoning ?? '') };
  });
  if (out.length !== assertions.length) throw new Error(`the judge graded ${out.length} of ${assertions.length} expected outcomes`);
  return out;
}

export function llmNlJudge(client: ChatClient): NlJudge {
  return async (task, messages, assertions) => {
    const user = `conversation:\n${transcript(messages)}\n\nexpectedOutcomes:\n${JSON.stringify(assertions)}`;
    let lastError = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await client.chat(
        { messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], sampling: { temperature: 0 } },
        { trial: attempt, scope: `nl:${task.id}` },
      );
      try {
        return parse(r.message.content ?? '', assertions);
      } catch (e) {
        lastError = e instanceof Error ? e.message : String(e);
      }
    }
    throw new Error(`NL judge answer unusable after 2 attempts: ${lastError}`);
  };
}
