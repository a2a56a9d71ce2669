import type { Agent } from '../agents/agent.ts';
import type { ChatMessage } from '../chat/messages.ts';
import { TRAJECTORY_SCHEMA_VERSION, recordAction, zeroUsage, type Trajectory } from '../episode/trajectory.ts';
import { checkAnswer } from '../math/check.ts';
import type { MathTask } from '../math/problems.ts';

export const MATH_SYSTEM = 'Solve the problem. Show short steps, then end with a line "#### <answer>".';

/**
 * A math problem as a one-turn episode: the question is the user's message, the agent answers
 * once, and the outcome is whether the answer is exactly right (src/math/check.ts). No tools,
 * no world; the trajectory has the same shape as a tool-use episode, so rewards, advantages and
 * token data are built the same way.
 */
export async function runMathEpisode(task: MathTask, agent: Agent, o: { trial: number; seed: number; step?: number; signal?: AbortSignal }): Promise<Trajectory> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const messages: ChatMessage[] = [
    { role: 'system', content: MATH_SYSTEM },
    { role: 'user', content: task.question },
  ];
  const base = {
    schema: TRAJECTORY_SCHEMA_VERSION,
    taskId: task.id,
    domain: 'math',
    split: 'train',
    taskIndex: -1,
    trial: o.trial,
    seed: o.seed,
    agent: agent.name,
    user: 'math',
    messages,
    usage: { agent: zeroUsage(), user: zeroUsage() },
    startedAt,
    ...(o.step !== undefined && { step: o.step }),
  };
  try {
    const ep = agent.start({ task: { id: task.id, domain: 'math', split: 'train', index: -1, userId: '', instruction: task.question, actions: [], outputs: [task.answer] }, policy: MATH_SYSTEM, tools: [], seed: o.seed, trial: o.trial });
    const step = await ep.act(messages, o.signal).finally(() => ep.end?.());
    messages.push(step.message);
    const text = step.action.type === 'respond' ? step.action.content : '';
    const reward = checkAnswer(text, task.answer) ? 1 : 0;
    return {
      ...base,
      steps: [{ turn: 0, action: recordAction(step.action), messageIndex: 2, ...(step.tokens && { tokens: step.tokens }), wallMs: performance.now() - started }],
      termination: 'user_stop',
      reward,
      usage: { agent: step.usage ?? zeroUsage(), user: zeroUsage() },
      wallMs: performance.now() - started,
    };
  } catch (e) {
    return { ...base, steps: [], termination: 'error', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), reward: 0, wallMs: performance.now() - started };
  }
}
