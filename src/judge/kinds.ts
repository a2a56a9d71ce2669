/** The judge kinds `--judge` takes (from-spec.ts builds them); a leaf module, for help text. */
export const JUDGE_KINDS = ['oracle', 'llm'] as const;
