import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One token as shown: its id, the text it completes, and whether it is a special token. */
export interface TokenPiece {
  id: number;
  /** The characters this token completes (UTF-8 decoded in stream order); '' when it ends mid-character. */
  text: string;
  /** The token's own bytes when they end mid-character (shown as hex instead of text). */
  partial?: number[];
  special: boolean;
  /** An id the tokenizer does not know. */
  unknown?: boolean;
}

const tokenizerFileSchema = z.looseObject({
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string(), special: z.boolean() })).default([]),
  model: z.looseObject({ type: z.string().optional(), vocab: z.record(z.string(), z.number().int()) }),
  decoder: z.looseObject({ type: z.string() }).nullable().optional(),
});

/**
 * GPT-2's byte-level alphabet: each byte is drawn as a printable character (printable Latin-1
 * as itself, the other 68 bytes as U+0100…), so BPE vocabularies are plain strings. Reversed
 * here: character → byte.
 */
function unicodeToByte(): Map<string, number> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCodePoint(cs[i]!), b]));
}

/**
 * Decodes token ids of a byte-level BPE tokenizer (`tokenizer.json` as Hugging Face `tokenizers`
 * writes it) to text, for display only — the trainer service stays the only tokenizer (design.md
 * §4.1). id → token string (`model.vocab`, `added_tokens`), token string → bytes through the
 * reversed byte-level alphabet (added tokens are their UTF-8 text), bytes → UTF-8.
 */
export class TokenText {
  private readonly bytes: (Uint8Array | undefined)[] = [];
  private readonly special = new Set<number>();

  constructor(file: unknown, where = 'tokenizer.json') {
    const parsed = tokenizerFileSchema.safeParse(file);
    if (!parsed.success) throw new Error(`${where}: not a tokenizers file (expected model.vocab and added_tokens): ${z.prettifyError(parsed.error)}`);
    const t = parsed.data;
    if (t.model.type !== undefined && t.model.type !== 'BPE') throw new Error(`${where}: model type ${t.model.type}; only byte-level BPE is decoded`);
    if (t.decoder && t.decoder.type !== 'ByteLevel') throw new Error(`${where}: decoder ${t.decoder.type}; only ByteLevel is decoded`);
    const map = unicodeToByte();
    const enc = new TextEncoder();
    for (const [token, id] of Object.entries(t.model.vocab)) {
      const out = new Uint8Array(token.length);
      let n = 0;
      let ok = true;
      for (const ch of token) {
        const b = map.get(ch);
        if (b === undefined) {
          ok = false;
          break;
        }
        out[n++] = b;
      }
      this.bytes[id] = ok ? out.slice(0, n) : enc.encode(token);
    }
    for (const a of t.added_tokens) {
      this.bytes[a.id] = enc.encode(a.content);
      if (a.special) this.special.add(a.id);
    }
  }

  static fromFile(path: string): TokenText {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new Error(`${path}: not a readable JSON tokenizer (${e instanceof Error ? e.message : String(e)})`);
    }
    return new TokenText(raw, path);
  }

  /** The whole text of `ids` (special tokens kept as their text), as `tokenizer.decode(ids, skip_special_tokens=False)`. */
  decode(ids: readonly number[]): string {
    return this.pieces(ids)
      .map((p) => (p.unknown ? '' : p.text))
      .join('');
  }

  /**
   * Per token, the characters it completes: bytes are decoded as a stream, so a character split
   * across tokens shows at the token that finishes it, and the tokens before carry their bytes.
   */
  pieces(ids: readonly number[]): TokenPiece[] {
    const dec = new TextDecoder('utf-8');
    const out = ids.map((id): TokenPiece => {
      const b = this.bytes[id];
      if (!b) return { id, text: '', special: false, unknown: true };
      const text = dec.decode(b, { stream: true });
      const piece: TokenPiece = { id, text, special: this.special.has(id) };
      if (text === '' && b.length > 0) piece.partial = [...b];
      return piece;
    });
    const rest = dec.decode();
    if (rest && out.length) out[out.length - 1]!.text += rest;
    return out;
  }
}
