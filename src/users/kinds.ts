/**
 * The user simulator kinds `--user` takes, in the order `tarl eval --help` lists them. A leaf
 * module (no imports) so that help text needs no simulator code; the registry (registry.ts)
 * must give each kind a factory, which its type checks.
 */
export const USER_KINDS = ['llm', 'react', 'verify', 'reflection', 'human', 'scripted'] as const;
export type UserKind = (typeof USER_KINDS)[number];
