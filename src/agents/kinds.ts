/**
 * The agent kinds `--agent` takes, in the order `tarl eval --help` lists them. A leaf module (no
 * imports) so that help text needs no agent code; the registry (registry.ts) must give each
 * kind a factory, which its type checks.
 */
export const AGENT_KINDS = ['tool-calling', 'act', 'react', 'oracle', 'flawed', 'noop', 'tau2-oracle'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];
