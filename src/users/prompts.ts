import { STOP_TOKEN } from './user.ts';

/**
 * The texts our model-driven users send. Our own wording of the rules τ-bench's user simulators
 * follow (tau_bench/envs/user.py): play a user, follow the hidden instruction, reveal only what
 * the current step needs, never invent facts the instruction lacks, end with ###STOP###.
 */

/** What the "agent" says first, so the user model writes the opening message (as τ-bench does). */
export const AGENT_GREETING = 'Hi! How can I help you today?';

const COMMON_RULES = [
  'Reveal the instruction bit by bit: give only the details the agent needs for the current step, never everything at once.',
  'Never invent details the instruction does not give. If the agent asks for something you were not told (an order id, an email, a date), say you do not have it or do not remember it.',
  'Do not copy the instruction word for word; say things in your own words.',
  'Stay in character: keep the personality and tone the instruction describes and sound like a real person.',
  'You are the customer, never the agent: do not offer help, confirm bookings or describe policies.',
];

function instructionBlock(instruction: string): string {
  return `Your instruction (hidden from the agent):\n${instruction}`;
}

/** System prompt of the plain `llm` user. */
export function llmUserSystemPrompt(instruction: string): string {
  const rules = [
    'Write one short message at a time, as the user would type it.',
    ...COMMON_RULES,
    `When the goal of your instruction has been reached (or cannot be reached and you are done), reply with ${STOP_TOKEN} alone, with nothing else in the message.`,
  ];
  return `You are playing a customer who is chatting with a customer-service agent.\n\n${instructionBlock(instruction)}\n\nRules:\n${bullets(rules)}`;
}

/** System prompt of the `react` user: a private thought, then the message the agent sees. */
export function reactUserSystemPrompt(instruction: string): string {
  const rules = [
    'First write a Thought: your private reasoning about what to say next. The agent never sees it.',
    'Then write the User Response: the one message the agent will receive.',
    ...COMMON_RULES,
    `When the goal of your instruction has been reached (or cannot be reached and you are done), make the User Response ${STOP_TOKEN} alone.`,
  ];
  return [
    `You are playing a customer who is chatting with a customer-service agent.`,
    instructionBlock(instruction),
    `Rules:\n${bullets(rules)}`,
    `Answer in exactly this format:\n\nThought:\n<your private reasoning>\n\nUser Response:\n<the message for the agent>`,
  ].join('\n\n');
}

/**
 * Sent (for one request only) after a ReAct reply we could not parse. It travels in the `user`
 * role — the agent's side of the inverted conversation — so it says plainly that it is not the agent.
 */
export function reactFormatReminder(attempt: number, maxAttempts: number): string {
  return `[Simulator note, not from the agent — attempt ${attempt} of ${maxAttempts}] Your last reply could not be read. Answer again in the required format: a line "Thought:" with your private reasoning, then a line "User Response:" followed by the message for the agent.`;
}

/** A transcript line per message, labelled from the real roles (not the inverted ones). */
export interface TranscriptLine {
  speaker: 'Agent' | 'Customer';
  text: string;
}

function transcriptText(lines: readonly TranscriptLine[]): string {
  return lines.length === 0 ? '(empty)' : lines.map((l) => `${l.speaker}: ${l.text}`).join('\n');
}

/** The check of a draft (τ-bench's `verify`): is this a good next customer message? */
export function verifyPrompt(instruction: string, transcript: readonly TranscriptLine[], draft: string): string {
  return [
    'You supervise a simulated customer in a conversation with a customer-service agent. The customer follows a hidden instruction. Decide whether the draft below is a good next customer message: consistent with the instruction, revealing only what the current step needs, inventing no facts, playing the customer (not the agent), and ending with ' +
      `${STOP_TOKEN} only when the instruction's goal is done.`,
    `# Instruction\n${instruction}`,
    `# Conversation so far\n${transcriptText(transcript)}`,
    `# Draft customer message\n${draft}`,
    'Answer with one word: true if the draft is good, false if it is not.',
  ].join('\n\n');
}

/** The reflection after a rejected draft (τ-bench's `reflect`): what went wrong and what to say instead. */
export function reflectPrompt(instruction: string, transcript: readonly TranscriptLine[], draft: string): string {
  return [
    'You supervise a simulated customer in a conversation with a customer-service agent. The customer follows a hidden instruction. Its draft message below was judged unsatisfactory. Explain briefly what is wrong with it, then propose a better message.',
    `# Instruction\n${instruction}`,
    `# Conversation so far\n${transcriptText(transcript)}`,
    `# Rejected draft\n${draft}`,
    'Answer in this format:\n\nReflection:\n<what is wrong>\n\nResponse:\n<a better customer message>',
  ].join('\n\n');
}

/** Shown to the verify user's model (one request only) after its draft failed the check. */
export function rejectedDraftNote(attempt: number, maxAttempts: number): string {
  return `[Supervisor note, not from the agent — attempt ${attempt} of ${maxAttempts}] A supervisor check rejected that reply. Write a different reply to the agent's last message, following your instruction and rules.`;
}

/** Shown to the user model (one request only) before it writes a draft again after a reflection. */
export function reflectionNote(reflection: string): string {
  return `[Supervisor note, not from the agent] A supervisor rejected that reply. Feedback:\n${reflection}\n\nWrite your reply to the agent's last message again, taking the feedback into account.`;
}

function bullets(items: readonly string[]): string {
  return items.map((r) => `- ${r}`).join('\n');
}
