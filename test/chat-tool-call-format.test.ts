import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCompletionText } from '../src/chat/tool-call-format.ts';
import { REPO_ROOT } from '../src/paths.ts';

// The golden cases the service's parser is checked against too (trainer/tests/test_golden_tool_calls.py).
const Case = z.object({
  name: z.string(),
  text: z.string(),
  content: z.string().nullable(),
  tool_calls: z.array(z.object({ name: z.string(), arguments: z.string() })),
  parsed: z.boolean(),
});
const cases = z.array(Case).parse(JSON.parse(readFileSync(join(REPO_ROOT, 'trainer', 'tests', 'golden', 'tool_calls.json'), 'utf8')));

describe('parseCompletionText (shared golden cases with the trainer service)', () => {
  it('has the golden cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseCompletionText(c.text)).toEqual({ content: c.content, toolCalls: c.tool_calls, parsed: c.parsed });
  });
});
