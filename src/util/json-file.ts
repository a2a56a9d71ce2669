import { readFileSync, statSync } from 'node:fs';

/**
 * JSON read from a file, with errors a user can act on: the file's name, what it should hold,
 * and for a syntax error the line and column (Node's message gives only a character position).
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /at position (\d+)/.exec(msg);
    let where = '';
    if (pos && !/line \d+/.test(msg)) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${Number(pos[1]) - before.lastIndexOf('\n')})`;
    }
    throw new Error(`${file}: not valid JSON: ${msg}${where}`);
  }
}

/** Reads and parses a JSON file; a missing file or a folder is named with what was expected. */
export function readJsonFile(path: string, expected: string): unknown {
  return parseJsonText(readTextFile(path, expected), path);
}

/** A text file's contents; a missing path or a folder is an error naming both and what was expected. */
export function readTextFile(path: string, expected: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new Error(`${path} does not exist (expected ${expected})`);
  }
  if (isDir) throw new Error(`${path} is a folder (expected ${expected})`);
  return readFileSync(path, 'utf8');
}
