import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { TokenText } from '../src/web/token-text.ts';
import { REPO_ROOT } from './support/cli.ts';

const PYTHON = resolve(REPO_ROOT, '.venv/bin/python');

const TEXTS = [
  '<|im_start|>user\nI want to cancel order #W2378156, please.<|im_end|>\n',
  '<tool_call>\n{"name": "cancel_order", "arguments": {"order_id": "412", "reason": "ordered by mistake"}}\n</tool_call><|im_end|>',
  'Grüße aus Köln — naïve café, 東京, emoji 😀👍🏽 and tabs\t\tand  double  spaces',
  '{"price": 1.0, "count": 3}\r\n\u0000\u0007 control bytes',
];

/** The trainer's tiny tokenizer (trained and cached on first use) saved to `path`, and what it makes of TEXTS. */
function reference(path: string): { path: string; cases: { ids: number[]; text: string; tokens: string[] }[] } {
  const script = `
import json, sys
from trainer.tokenizer import tiny_tokenizer
tok = tiny_tokenizer()
tok.save(sys.argv[2])
out = {"path": sys.argv[2], "cases": []}
for t in json.loads(sys.argv[1]):
    ids = tok.encode(t).ids
    out["cases"].append({"ids": ids, "text": tok.decode(ids, skip_special_tokens=False), "tokens": [tok.id_to_token(i) for i in ids]})
print(json.dumps(out))
`;
  const stdout = execFileSync(PYTHON, ['-c', script, JSON.stringify(TEXTS), path], { cwd: REPO_ROOT, encoding: 'utf8' });
  return JSON.parse(stdout) as { path: string; cases: { ids: number[]; text: string; tokens: string[] }[] };
}

describe('byte-level BPE decoding for the viewer', () => {
  it('decodes the real tiny tokenizer exactly as tokenizers does, token by token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tarl-tok-'));
    const ref = reference(join(dir, 'tokenizer.json'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const tt = TokenText.fromFile(ref.path);
    for (const [i, c] of ref.cases.entries()) {
      expect(tt.decode(c.ids), TEXTS[i]).toBe(c.text);
      expect(c.text).toBe(TEXTS[i]);
      const pieces = tt.pieces(c.ids);
      expect(pieces.map((p) => p.text).join('')).toBe(c.text);
      // Special tokens are one piece each, flagged; a character split over tokens shows where it ends.
      for (const [j, p] of pieces.entries()) {
        if (['<|im_start|>', '<|im_end|>', '<tool_call>', '</tool_call>'].includes(c.tokens[j]!)) expect(p).toMatchObject({ text: c.tokens[j], special: true });
        if (p.partial) expect(p.text).toBe('');
      }
    }
    // The emoji text is split over byte tokens: some pieces end mid-character.
    expect(tt.pieces(ref.cases[2]!.ids).some((p) => p.partial !== undefined)).toBe(true);
  });

  it('unknown ids and malformed files are reported, not guessed', () => {
    const tt = new TokenText({ added_tokens: [{ id: 0, content: '<s>', special: true }], model: { type: 'BPE', vocab: { a: 1, 'Ġb': 2 } } });
    expect(tt.pieces([0, 1, 2, 99])).toEqual([
      { id: 0, text: '<s>', special: true },
      { id: 1, text: 'a', special: false },
      { id: 2, text: ' b', special: false },
      { id: 99, text: '', special: false, unknown: true },
    ]);
    expect(() => new TokenText({ model: {} }, 'x/tokenizer.json')).toThrow(/x\/tokenizer.json: not a tokenizers file/);
    expect(() => new TokenText({ model: { type: 'WordPiece', vocab: {} } }, 'y.json')).toThrow(/only byte-level BPE/);
  });
});
