import { dumpsCompact, jsonStringAscii } from '../py/dumps.ts';
import type { PyDict } from '../py/value.ts';
import type { VerifyMode } from '../verify/verifier.ts';
import { ApiError } from './api-error.ts';
import type { SessionInfo, VerifyResponse } from './schemas.ts';
import type { Session } from './session-store.ts';

/**
 * What REST and MCP both do to a session, in one place, so the two transports cannot answer
 * differently: a tool call is `Sandbox.call` verbatim (the same observation string in-process).
 */
export function callTool(session: Session, name: string, kwargs: PyDict): string {
  session.inFlight++;
  try {
    return session.sandbox.call(name, kwargs);
  } finally {
    session.inFlight--;
    session.lastUsed = Date.now();
  }
}

export function sessionInfo(s: Session): SessionInfo {
  const t = s.task;
  return {
    session_id: s.id,
    domain: s.domain.name,
    task: t
      ? { id: t.id, split: t.split, index: t.index, user_id: t.userId, instruction: t.instruction, outputs: t.outputs }
      : null,
    created_at: new Date(s.createdAt).toISOString(),
  };
}

export function verifySession(s: Session, agentMessages: readonly string[], mode: VerifyMode = 'taubench'): VerifyResponse {
  if (!s.task) throw new ApiError(409, 'no_task', 'this session was created without a task, so there is nothing to verify against');
  const r = s.world.verifier.verify(s.sandbox, s.task, agentMessages, mode);
  return { reward: r.reward, db_match: r.dbMatch, diff: r.diff, outputs: r.outputs, mode: r.mode };
}

/**
 * `{"state_hash": …, "changed": {table: {key: record}}}` as JSON text. Written with the Python
 * codec, not JSON.stringify, so records keep τ-bench's key order and int/float distinction.
 */
export function changesJson(s: Session): string {
  const changed: PyDict = new Map();
  for (const [table, records] of s.sandbox.changedRecords()) changed.set(table, new Map(records));
  return `{"state_hash":${jsonStringAscii(s.sandbox.stateHash())},"changed":${dumpsCompact(changed)}}`;
}
