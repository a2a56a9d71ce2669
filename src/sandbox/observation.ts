/**
 * How a tool's observation says it failed: τ-bench's `Error: …` for an exception and
 * `Unknown action …` for an unknown name (src/sandbox/sandbox.ts). A failed call changed nothing.
 */
export const isFailedObservation = (observation: string): boolean => /^(Error|Unknown action)/.test(observation);
