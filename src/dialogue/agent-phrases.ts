import type { Action } from '../dataset/task.ts';
import type { Request } from '../generate/intent.ts';
import { isFailedObservation } from '../sandbox/observation.ts';

/** What the oracle agent says, one function per dialogue act (docs/dialogue-acts.md). */
export const GREETING = 'Hello, thank you for contacting us! Before I can help, could you please verify your identity? ';

export function askIdentity(domain: string): string {
  const how = domain === 'airline' ? 'your user id' : 'your email address, or your full name and zip code';
  return `${GREETING}Please provide ${how}, and tell me the details of what you need.`;
}

export function confirmWrite(description: string): string {
  return `Here is what I am going to do: ${description}. Do you confirm that I should proceed (yes/no)?`;
}

export function outcome(observation: string, recordId: string | undefined): string {
  if (isFailedObservation(observation)) return `I'm sorry, that could not be completed: ${observation}.`;
  return recordId ? `Done: your request on ${recordId} has been processed successfully.` : 'Done: your request has been processed successfully.';
}

export const DECLINED = "Understood, I won't make that change.";

/** A policy refusal in words, naming the request so the user knows which one it is about. */
export function deny(r: Request): string {
  const what: Partial<Record<Request['type'], string>> = {
    other_users_order: "cancel an order that belongs to another customer; I can only act on the account of the person I'm speaking with",
    remove_bags: 'remove checked bags from a reservation; bags cannot be removed once added',
    cancel_reservation: 'cancel this reservation under our policy; it does not meet the conditions for a cancellation',
    compensation: 'offer compensation for this reservation; it is not eligible under our policy',
  };
  return `I'm sorry, but I cannot ${what[r.type] ?? 'do that under our policy'}.`;
}

export function tellOutputs(outputs: readonly string[]): string {
  return outputs.length ? `For your information, the amount is ${outputs.join(' and ')}.` : '';
}

export const CLOSE = 'Is there anything else I can help you with?';
export const GOODBYE = 'Thank you for contacting us. Have a great day!';

/** Everything the oracle says, for one domain. */
export interface AgentPhrases {
  askIdentity(): string;
  confirmWrite(description: string): string;
  /** The outcome of a write the agent just made, from its observation. */
  outcome(observation: string, write: Action): string;
  declined: string;
  deny(r: Request): string;
  /** The required outputs, with the requests they answer. */
  tellOutputs(outputs: readonly string[], requests: readonly Request[]): string;
  close: string;
  goodbye: string;
}

const recordOf = (a: Action): string | undefined => {
  const order = a.kwargs.get('order_id');
  const reservation = a.kwargs.get('reservation_id');
  return typeof order === 'string' ? `order ${order}` : typeof reservation === 'string' ? `reservation ${reservation}` : undefined;
};

/** The τ-bench domains' phrases: courteous, complete sentences. */
const FULL: AgentPhrases = {
  askIdentity: () => askIdentity('retail'),
  confirmWrite,
  outcome: (observation, write) => outcome(observation, recordOf(write)),
  declined: DECLINED,
  deny,
  tellOutputs: (outputs) => tellOutputs(outputs),
  close: CLOSE,
  goodbye: GOODBYE,
};

/**
 * The starter store's phrases: short and regular, since they are what a tiny model learns to say
 * (each still carries the patterns of src/dialogue/acts.ts). E.g. "Hello! Please tell me your user
 * id and order id." / "I will cancel order #412 (reason: ordered by mistake). Do you confirm
 * (yes/no)?" / "Done: order #412 has been cancelled." / "Order #412 status: delivered." /
 * "Anything else?"
 */
export const STARTER_PHRASES: AgentPhrases = {
  askIdentity: () => 'Hello! Please tell me your user id and order id.',
  confirmWrite: (description) => `I will ${description}. Do you confirm (yes/no)?`,
  outcome(observation, write) {
    if (isFailedObservation(observation)) return `Sorry, that failed: ${observation}.`;
    const id = String(write.kwargs.get('order_id') ?? '');
    return write.name === 'return_order' ? `Done: the return of order ${id} has been requested.` : `Done: order ${id} has been cancelled.`;
  },
  declined: 'OK, I will not do that.',
  deny: (r) => (r.type === 'other_users_order' ? `Sorry, I cannot cancel order ${r.order.order_id ?? ''}: it belongs to another customer.` : 'Sorry, I cannot do that.'),
  tellOutputs(outputs, requests) {
    const asked = requests.filter((r) => r.type === 'order_status');
    return outputs.map((o, i) => (asked[i]?.order.order_id ? `Order ${asked[i].order.order_id} status: ${o}.` : `Status: ${o}.`)).join(' ');
  },
  close: 'Anything else?',
  goodbye: 'Goodbye!',
};

/** The phrases the oracle uses in a domain. */
export function agentPhrases(domain: string): AgentPhrases {
  if (domain === 'starter') return STARTER_PHRASES;
  return { ...FULL, askIdentity: () => askIdentity(domain) };
}
