/**
 * Who performs which gold action when, for the oracle agent and the scripted user of τ²
 * episodes. The gold actions split into runs of one requestor; turns alternate user, agent,
 * user, … after the agent's greeting; each turn takes the next run if it is its side's. Both
 * participants compute the same schedule from the task alone, so they stay in step without
 * talking about it.
 */
import type { Tau2Action, Tau2Task } from '../dataset/tau2-task.ts';

export interface Schedule {
  /** userTurns[k]: the actions of the user's (k+1)-th message turn (k = 0 answers the greeting). */
  userTurns: Tau2Action[][];
  /** agentTurns[k]: the actions of the agent's turn after the user's (k+1)-th text. */
  agentTurns: Tau2Action[][];
}

export function goldSchedule(task: Tau2Task): Schedule {
  const runs: Tau2Action[][] = [];
  for (const a of task.criteria?.actions ?? []) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.requestor === a.requestor) last.push(a);
    else runs.push([a]);
  }
  const userTurns: Tau2Action[][] = [];
  const agentTurns: Tau2Action[][] = [];
  let pos = 0;
  while (pos < runs.length) {
    const u = runs[pos]?.[0]?.requestor === 'user' ? runs[pos++]! : [];
    const a = runs[pos]?.[0]?.requestor === 'assistant' ? runs[pos++]! : [];
    userTurns.push(u);
    agentTurns.push(a);
  }
  return { userTurns, agentTurns };
}
