import { connect } from 'node:net';
import type { Task } from '../dataset/task.ts';
import { OPENAI_BASE_URL } from '../llm/model-flags.ts';
import type { ModelSpec } from '../llm/model-spec.ts';

/**
 * Checks made before an evaluation starts, so that a run which cannot work stops with one
 * sentence (which part needs what, and the command that makes it) instead of recording a
 * hundred failed episodes and printing pass^1 0.000.
 */

/** Role kinds that follow a generated task's structured intent (src/generate/intent.ts). */
const FOLLOWS_INTENT: Record<'agent' | 'user', Record<string, string>> = {
  agent: { oracle: 'the oracle agent', flawed: 'the flawed agent' },
  user: { scripted: 'the scripted user' },
};

/** Refuses agent/user kinds the tasks cannot serve (e.g. the scripted user on imported τ-bench tasks). */
export function checkTasksFit(o: { data: string; tasks: readonly Task[]; agent?: ModelSpec; user?: ModelSpec; fixedBy?: string }): void {
  const without = o.tasks.filter((t) => t.intent === undefined);
  if (without.length === 0) return;
  for (const role of ['user', 'agent'] as const) {
    const kind = o[role]?.kind;
    const who = kind === undefined ? undefined : FOLLOWS_INTENT[role][kind];
    if (!who) continue;
    const which = without.length === o.tasks.length ? `none of the ${o.tasks.length} selected tasks in ${o.data} has one` : `${without.length} of the ${o.tasks.length} selected tasks in ${o.data} have none (first: ${without[0]!.id})`;
    const domain = o.tasks[0]?.domain ?? 'DOMAIN';
    const generate = `a dataset made by 'tarl data generate --domain ${domain} --out DIR'`;
    // A command whose roles are fixed (judge bench, sft) can only be given other tasks.
    const instead =
      o.fixedBy !== undefined
        ? generate
        : `${role === 'user' ? 'a model-driven user (--user llm --user-model NAME)' : 'a model-driven agent (--agent tool-calling --agent-model NAME)'}, or ${generate}`;
    throw new Error(`${o.fixedBy === undefined ? '' : `${o.fixedBy} uses ${who}; `}${who} follows a generated task's intent, and ${which} (imported τ-bench tasks have no intent); use ${instead}`);
  }
}

/**
 * Opens a TCP connection to every explicitly configured endpoint (OpenAI's default is left to
 * the first call), so a server that is not running is reported before any episode starts rather
 * than as a hundred retry-budget errors. The check sends nothing: a connection is enough.
 */
export async function checkEndpoints(roles: readonly { role: string; spec: ModelSpec | undefined }[], timeoutMs = 5000): Promise<void> {
  const seen = new Set<string>();
  for (const { role, spec } of roles) {
    const base = spec?.llm?.baseUrl;
    if (base === undefined || base === OPENAI_BASE_URL || seen.has(base)) continue;
    seen.add(base);
    const url = new URL(base);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const problem = await new Promise<string | undefined>((done) => {
      const socket = connect({ host: url.hostname, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        done(undefined);
      });
      socket.once('timeout', () => {
        socket.destroy();
        done(`no answer within ${timeoutMs} ms`);
      });
      socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    });
    if (problem) throw new Error(`the ${role}'s endpoint ${base} cannot be reached (${problem}); start the server there or fix --${role}-base-url`);
  }
}
