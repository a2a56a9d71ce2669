/** USD per million tokens (input, output), OpenAI list prices. */
interface Price {
  inputPerM: number;
  outputPerM: number;
}

/**
 * A small table of known models. Anything else — local models, fine-tunes, checkpoints —
 * has an unknown cost (`null`), never 0, so a report cannot pass "unknown" off as "free".
 */
const PRICES: Readonly<Record<string, Price>> = {
  'gpt-4o': { inputPerM: 2.5, outputPerM: 10 },
  'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 },
  'gpt-4.1': { inputPerM: 2, outputPerM: 8 },
  'gpt-4.1-mini': { inputPerM: 0.4, outputPerM: 1.6 },
  'gpt-4.1-nano': { inputPerM: 0.1, outputPerM: 0.4 },
  'gpt-4-turbo': { inputPerM: 10, outputPerM: 30 },
  'gpt-4': { inputPerM: 30, outputPerM: 60 },
  'gpt-3.5-turbo': { inputPerM: 0.5, outputPerM: 1.5 },
  'o3-mini': { inputPerM: 1.1, outputPerM: 4.4 },
  'o4-mini': { inputPerM: 1.1, outputPerM: 4.4 },
};

/** The price of a model id; a dated snapshot (`gpt-4o-2024-08-06`) costs what its family does. */
export function priceOf(model: string): Price | undefined {
  const id = model.startsWith('openai/') ? model.slice('openai/'.length) : model;
  return PRICES[id] ?? PRICES[id.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

export function costUsd(model: string, promptTokens: number, completionTokens: number): number | null {
  const p = priceOf(model);
  if (!p) return null;
  return (promptTokens * p.inputPerM + completionTokens * p.outputPerM) / 1_000_000;
}
