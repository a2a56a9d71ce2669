import type { Task } from '../dataset/task.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { dumps } from '../py/dumps.ts';

/** Cuts long observations so one huge tool output cannot crowd out the conversation. */
function clip(s: string, max = 1500): string {
  return s.length <= max ? s : `${s.slice(0, max)} … [${s.length - max} more characters]`;
}

/**
 * The transcript with numbered agent turns (design.md §3: one turn = one agent step), in the
 * order things happened: user messages, then each agent turn with its tool observation.
 */
export function numberedTranscript(t: Trajectory): string {
  const lines: string[] = [];
  const opening = t.messages.find((m) => m.role === 'user');
  if (opening) lines.push(`[user] ${opening.content}`);
  for (const s of t.steps) {
    if (s.action.type === 'respond') {
      lines.push(`[agent turn ${s.turn}] message to user: ${s.action.content}`);
      if (s.userReply !== undefined) lines.push(`[user] ${s.userReply}`);
    } else {
      lines.push(`[agent turn ${s.turn}] tool call: ${s.action.name}(${s.action.arguments})`);
      if (s.observation !== undefined) lines.push(`    observation: ${clip(s.observation)}`);
    }
  }
  return lines.join('\n');
}

/** The judge's user message: everything it needs, in labelled sections. */
export function judgeMessage(task: Task, policy: string, t: Trajectory): string {
  const actions = task.actions.map((a) => `- ${a.name}(${dumps(a.kwargs)})`).join('\n') || '(none)';
  const outputs = task.outputs.length ? task.outputs.map((o) => `- ${o}`).join('\n') : '(none)';
  const info = t.rewardInfo;
  const verdict = info
    ? [
        `reward: ${t.reward} (termination: ${t.termination})`,
        `final database matches the ground truth: ${info.dbMatch ? 'yes' : 'no'}`,
        ...info.diff.map((d) => `- ${d.table}/${d.key} (differing fields: ${d.fields.join(', ')}): expected ${clip(d.expected ?? 'unchanged', 600)}; got ${clip(d.actual ?? 'unchanged', 600)}`),
        ...info.outputs.map((o) => `- required output "${o.output}": ${o.found ? 'said' : 'NOT said'}`),
        ...(info.unconfirmed ?? []).map((w) => `- turn ${w.turn}: ${w.name} succeeded without the user's explicit yes (the episode fails for it)`),
      ].join('\n')
    : `reward: ${t.reward} (termination: ${t.termination}; not verified)`;
  return [
    `## Policy\n${policy}`,
    `## User's hidden instruction\n${task.instruction}`,
    `## Ground-truth actions\n${actions}`,
    `## Required outputs\n${outputs}`,
    `## Verifier\n${verdict}`,
    `## Transcript (${t.steps.length} agent turns, numbered from 0)\n${numberedTranscript(t)}`,
  ].join('\n\n');
}
