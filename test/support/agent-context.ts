import type { AgentContext } from '../../src/agents/agent.ts';
import type { Task } from '../../src/dataset/task.ts';
import { getDomain } from '../../src/domains/registry.ts';
import { toolDefinition } from '../../src/sandbox/tool-schema.ts';

/** A small retail task and the real retail tool definitions, for agents under test. */
export function retailContext(overrides: Partial<AgentContext> = {}): AgentContext {
  const task: Task = {
    id: 'test/0',
    domain: 'retail',
    split: 'test',
    index: 0,
    userId: 'yusuf_rossi_9620',
    instruction: 'You want to know your order status.',
    actions: [],
    outputs: [],
  };
  return { task, policy: '# Retail agent policy\nBe helpful.', tools: getDomain('retail').tools.map(toolDefinition), seed: 1, trial: 0, ...overrides };
}
