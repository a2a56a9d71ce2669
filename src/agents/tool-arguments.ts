import { JsonSyntaxError, parsePy } from '../py/parse.ts';
import { isDict, type PyDict } from '../py/value.ts';

export type ParsedArguments = { ok: true; kwargs: PyDict } | { ok: false; error: string };

/**
 * Reads a tool call's argument text losslessly (`100.0` stays a float, key order survives).
 * Empty text means "no arguments" (some servers send `""` for argument-less tools). Anything
 * that is not a JSON object is an error the model gets to see, where τ-bench's
 * `json.loads` would have crashed the episode.
 */
export function parseToolArguments(name: string, text: string): ParsedArguments {
  if (text.trim() === '') return { ok: true, kwargs: new Map() };
  let value;
  try {
    value = parsePy(text);
  } catch (e) {
    const why = e instanceof JsonSyntaxError ? e.message : String(e);
    return { ok: false, error: `Error: the arguments of ${name} are not valid JSON (${why}): ${text}` };
  }
  if (!isDict(value)) return { ok: false, error: `Error: the arguments of ${name} must be a JSON object: ${text}` };
  return { ok: true, kwargs: value };
}
