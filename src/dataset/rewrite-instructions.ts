import { writeInstructionWithLlm } from '../generate/llm-writer.ts';
import { Intent } from '../generate/intent.ts';
import type { ChatClient } from '../llm/client.ts';
import { forEachPooled } from '../util/pool.ts';
import type { DatasetContent } from './write.ts';

export interface RewriteResult {
  rewritten: number;
  /** Tasks that keep the templated instruction, with why (a dropped fact, an endpoint failure). */
  kept: { taskId: string; reason: string }[];
}

/**
 * Rewrites every generated task's templated instruction with the LLM writer (in place), a few
 * requests at a time. A rewrite that drops a fact, or an endpoint that fails past its retry
 * budget, leaves that task's template instruction — listed in the result and counted in the
 * manifest, never silently. With the client's cache, regenerating gives the same bytes.
 */
export async function rewriteInstructions(content: DatasetContent, client: ChatClient, concurrency = 4): Promise<RewriteResult> {
  const result: RewriteResult = { rewritten: 0, kept: [] };
  const tasks = content.splits.flatMap((s) => s.tasks);
  await forEachPooled(tasks, concurrency, async (task) => {
    const intent = Intent.safeParse(task.intent);
    if (!intent.success) {
      result.kept.push({ taskId: task.id, reason: 'no structured intent' });
      return;
    }
    try {
      task.instruction = await writeInstructionWithLlm(client, intent.data, task.id);
      result.rewritten++;
    } catch (e) {
      result.kept.push({ taskId: task.id, reason: e instanceof Error ? e.message : String(e) });
    }
  });
  content.instructions = { writer: 'llm', model: client.model, rewritten: result.rewritten, kept: result.kept.length };
  return result;
}
