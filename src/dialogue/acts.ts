/**
 * The dialogue acts the scripted user and the oracle agent exchange (docs/dialogue-acts.md).
 * Recognition is by documented patterns, loose enough for an LLM agent's phrasing: an act is
 * recognised when one of its patterns matches and, where listed, one of its cues does too.
 */
export const AGENT_ACTS = [
  'greeting',
  'ask_identity',
  'ask_request',
  'ask_detail',
  'confirm_request',
  'report_outcome',
  'report_failure',
  'deny',
  'transfer',
  'close',
] as const;
export type AgentAct = (typeof AGENT_ACTS)[number];

/** A question or an explicit request to the user: what separates asking from stating. */
const ASKING = /\?|\b(please|could you|can you|would you|may i|let me know|provide|share|tell me|need)\b/i;

const WRITE_VERBS = /\b(cancel\w*|modif\w*|chang\w*|updat\w*|exchang\w*|return\w*|refund\w*|book\w*|rebook\w*|add|adding|added|remov\w*|replac\w*|set|send|sending|issu\w*|swap\w*|switch\w*|mov\w*|upgrad\w*|downgrad\w*|pay\w*|charg\w*|proceed|go ahead)\b/i;

interface ActPattern {
  any: readonly RegExp[];
  /** Also required when present (e.g. a question cue). */
  cue?: RegExp;
}

export const ACT_PATTERNS: Readonly<Record<AgentAct, ActPattern>> = {
  greeting: { any: [/\b(hello|hi|hey|greetings|good (morning|afternoon|evening)|welcome)\b/i, /\bthanks? (you )?for (contacting|reaching out|calling|getting in touch)\b/i] },
  ask_identity: {
    any: [/\be-?mail\b/i, /\bzip( ?code)?\b/i, /\bpostal code\b/i, /\buser ?id\b/i, /\b(verify|confirm|authenticate|identify) (your )?(identity|account|yourself)\b/i, /\byour (full )?name\b/i],
    cue: ASKING,
  },
  ask_request: { any: [/\bhow (can|may|might) i (help|assist)\b/i, /\bwhat can i (do|help)\b/i, /\bwhat (would you like|brings you|do you need)\b/i, /\bhow can we help\b/i] },
  ask_detail: {
    any: [
      /\b(which|what) (order|reservation|item|items|product|payment|address|date|passenger|flight|cabin)\b/i,
      /\b(order|reservation|confirmation) (id|number|code)\b/i,
      /\b(details|specifics|more information)\b/i,
      /\b(what|which) (would|do) you (like|want)\b/i,
    ],
    cue: ASKING,
  },
  confirm_request: {
    any: [
      /\b(confirm|proceed|go ahead)\b/i,
      /\b(shall|should) i\b/i,
      /\b(do|would) you (like|want) me to\b/i,
      /\bis (that|this|everything) (correct|right|ok|okay)\b/i,
      /\byes\s*(\/|or)\s*no\b/i,
      /\bdo you agree\b/i,
    ],
    cue: /\?|\b(yes|confirm)\b/i,
  },
  report_outcome: {
    any: [
      /\b(has|have) (now )?been (successfully )?(cancell?ed|modified|changed|updated|exchanged|returned|booked|added|removed|replaced|sent|issued|processed|submitted|requested|placed)\b/i,
      /\bsuccessful(ly)?\b/i,
      /\b(is|are) (now )?(done|complete|completed|confirmed|cancell?ed|updated|booked)\b/i,
      /\ball set\b/i,
      /\bi('ve| have) (now )?(cancell?ed|modified|changed|updated|exchanged|processed|submitted|booked|added|removed|replaced|sent|issued)\b/i,
      /\bwent through\b/i,
    ],
  },
  report_failure: { any: [/\b(could not|couldn't|was unable|wasn't able|did not go through|didn't go through|failed)\b/i, /\berror\b/i] },
  deny: {
    any: [
      /\b(sorry|unfortunately|afraid|apologi[sz]e)\b[^.!?]*\b(can ?not|can't|unable|not (able|allowed|permitted|possible|eligible)|won't be able)\b/i,
      /\b(against|violates?) (our|the) (policy|policies|rules)\b/i,
      /\bpolicy (does not|doesn't) (allow|permit)\b/i,
      /\b(not|isn't|is not) (allowed|permitted|eligible)\b/i,
    ],
  },
  transfer: { any: [/\btransfer(ring)? (you|your (call|case|request)|this)\b/i, /\b(human|live) (agent|representative|colleague)\b/i, /\bhand (you|this) (over|off)\b/i] },
  close: { any: [/\banything else\b/i, /\bsomething else\b/i, /\b(any )?other (questions|requests|concerns)\b/i, /\bhave a (great|nice|good|wonderful) (day|trip|flight|one)\b/i, /\bgoodbye\b/i] },
};

/** Every act the text expresses (a message may carry several, e.g. an outcome and a question). */
export function recognise(text: string): Set<AgentAct> {
  const out = new Set<AgentAct>();
  for (const act of AGENT_ACTS) {
    const p = ACT_PATTERNS[act];
    if (p.any.some((r) => r.test(text)) && (!p.cue || p.cue.test(text))) out.add(act);
  }
  // A confirmation is about a write: "could you confirm your email" is identification, not this.
  if (out.has('confirm_request') && !WRITE_VERBS.test(text.replace(/\b(confirm|proceed|go ahead)\b/gi, ''))) out.delete('confirm_request');
  return out;
}

/** The user's answer to a confirmation, recognised in the user's text (what the oracle reads). */
export function isYes(text: string): boolean {
  return /\b(yes|yeah|yep|sure|correct|go ahead|please do|confirm(ed)?|that's right|sounds good)\b/i.test(text) && !isNo(text);
}

export function isNo(text: string): boolean {
  return /\b(no|nope|don't|do not|not what|wrong|incorrect|stop)\b/i.test(text) && !/\bno problem\b/i.test(text);
}
