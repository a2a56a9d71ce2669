import type { Context } from 'hono';
import type { z } from 'zod';
import { JsonSyntaxError } from '../py/parse.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, toJs, type PyDict, type PyValue } from '../py/value.ts';
import { ApiError } from './api-error.ts';
import { checkDeadline } from './deadline.ts';

/**
 * Reads a JSON body twice over: losslessly as Python values (so `100.0` stays a float for the
 * tools, as τ-bench's `json.loads` would keep it) and as plain JS validated by a zod schema.
 * An empty body reads as `{}`. A body that arrives after the time limit is refused unread.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, limitMs: number): Promise<{ py: PyValue; value: z.infer<S> }> {
  const text = await c.req.text();
  checkDeadline(c, limitMs);
  const py = parseJson(text.trim() === '' ? '{}' : text);
  const parsed = schema.safeParse(toJs(py));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'invalid_request', `${where}${issue?.message ?? 'invalid body'}`);
  }
  return { py, value: parsed.data };
}

export function parseJson(text: string): PyValue {
  try {
    return parsePy(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${e.message}`);
    throw e;
  }
}

/**
 * A call's keyword arguments from its lossless body: an object, or a JSON string holding one
 * (OpenAI tool calls carry arguments as a string). Absent means no arguments.
 */
export function callArguments(args: PyValue | undefined): PyDict {
  if (args === undefined || args === null) return new Map();
  const value = typeof args === 'string' ? parseJson(args) : args;
  if (!isDict(value)) throw new ApiError(400, 'invalid_request', "'arguments' must be a JSON object (or a string holding one)");
  return value;
}
