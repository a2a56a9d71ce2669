import type { z } from 'zod';
import type { Persona } from './intent.ts';
import type { Rng } from './prng.ts';

/** Speaking styles for simulated users, phrased so the instruction can quote them. */
const TONES = [
  'polite and patient',
  'brief and to the point',
  'chatty and friendly',
  'impatient and a little irritated',
  'anxious and wanting reassurance',
  'skeptical and double-checks details',
  'formal and precise',
  'casual and relaxed',
] as const;

export function makePersona(rng: Rng): z.infer<typeof Persona> {
  return { tone: rng.pick(TONES), forthcoming: rng.chance(0.5) };
}
