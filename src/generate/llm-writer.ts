import type { ChatClient } from '../llm/client.ts';
import { writeInstruction } from './instruction.ts';
import type { Intent } from './intent.ts';

const SYSTEM = [
  'You write the hidden instruction for a simulated customer in a customer-service evaluation.',
  'Rewrite the draft in natural second person ("You are …"), keeping every fact exactly: names, ids, emails, zip codes, addresses, item options, dates, amounts, payment methods, and what the customer will confirm or refuse.',
  'Add nothing the customer would not know, do not mention tools or policies, and keep the persona.',
  'Reply with the instruction only.',
].join(' ');

/**
 * The LLM instruction writer: turns an intent into a natural instruction through an
 * OpenAI-compatible endpoint (`ChatClient`: retries, rate limits, on-disk cache, so a dataset
 * regenerates identically from the cache). It rewrites the templated draft rather than the raw
 * intent, and falls back to nothing silently: a reply that drops an id or amount of the draft is
 * rejected with the missing facts named.
 */
export async function writeInstructionWithLlm(client: ChatClient, intent: Intent, scope = ''): Promise<string> {
  const draft = writeInstruction(intent);
  const result = await client.chat(
    { messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `Intent (JSON): ${JSON.stringify(intent)}\n\nDraft: ${draft}` }], sampling: { temperature: 0 } },
    { scope: `instruction:${scope}` },
  );
  const text = typeof result.message.content === 'string' ? result.message.content.trim() : '';
  const missing = requiredFacts(intent).filter((f) => !text.includes(f));
  if (!text || missing.length) throw new Error(`LLM instruction dropped facts: ${missing.join(', ') || '(empty reply)'}`);
  return text;
}

/** Facts a rewritten instruction must keep verbatim: ids, emails, zips, dates. */
export function requiredFacts(intent: Intent): string[] {
  const out = new Set<string>();
  const id = intent.user.identity;
  if (id.method === 'email') out.add(id.email);
  if (id.method === 'name_zip') out.add(id.zip);
  if (id.method === 'user_id') out.add(id.user_id);
  for (const r of intent.requests) {
    if ('order' in r && r.order.order_id) out.add(r.order.order_id);
    if ('reservation_id' in r) out.add(r.reservation_id);
    if ('date' in r) out.add(r.date);
    if ('new_date' in r) out.add(r.new_date);
  }
  return [...out];
}
