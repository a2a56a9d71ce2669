import type { Request } from '../generate/intent.ts';

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
  if (observation.startsWith('Error') || observation.startsWith('Unknown action')) return `I'm sorry, that could not be completed: ${observation}.`;
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
