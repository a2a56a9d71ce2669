/**
 * The banking knowledge base (698 Markdown documents) and the retrieval variants that need no
 * external service: the prompts of `no_knowledge`, `full_kb` and `golden_retrieval`, a BM25
 * `KB_search` and a regex `grep` over the documents (ours: ranked the same way in spirit as
 * τ²'s pipelines, not byte-identical to their scores), and `KB_search` over an
 * OpenAI-compatible embeddings endpoint (document vectors computed once per world).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tau2Task } from '../../dataset/tau2-task.ts';

export interface KbDocument {
  id: string;
  title: string;
  content: string;
}

/** `KnowledgeBase.load`: every `documents/*.json` (directory order as Python's glob sees it: sorted here). */
export function loadDocuments(dir: string): KbDocument[] {
  const docDir = join(dir, 'documents');
  if (!existsSync(docDir)) return [];
  return readdirSync(docDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const raw = JSON.parse(readFileSync(join(docDir, f), 'utf8')) as Partial<KbDocument>;
      if (typeof raw.id !== 'string' || typeof raw.title !== 'string' || typeof raw.content !== 'string') {
        throw new Error(`${join(docDir, f)}: a document needs string "id", "title" and "content"`);
      }
      return { id: raw.id, title: raw.title, content: raw.content };
    });
}

export const RETRIEVAL_VARIANTS = ['no_knowledge', 'full_kb', 'golden_retrieval', 'bm25', 'grep_only', 'bm25_grep', 'openai_embeddings', 'openai_embeddings_grep'] as const;
export type RetrievalVariant = (typeof RETRIEVAL_VARIANTS)[number];

const TEMPLATE: Record<RetrievalVariant, string> = {
  no_knowledge: 'no_knowledge.md',
  full_kb: 'full_kb.md',
  golden_retrieval: 'required_docs.md',
  bm25: 'classic_rag_bm25_no_grep.md',
  grep_only: 'grep_only.md',
  bm25_grep: 'classic_rag_bm25.md',
  openai_embeddings: 'classic_rag_openai_no_grep.md',
  openai_embeddings_grep: 'classic_rag_openai.md',
};

const formatDocs = (docs: readonly KbDocument[]): string => docs.map((d) => `## ${d.title}\n\n${d.content}`).join('\n\n---\n\n');

/** The agent's system prompt for a variant (components substituted; KB or required docs inlined). */
export function bankingPolicy(dir: string, variant: RetrievalVariant, docs: readonly KbDocument[], task?: Tau2Task): string {
  const prompts = join(dir, 'prompts');
  let text = readFileSync(join(prompts, TEMPLATE[variant]), 'utf8').replace(/\{\{component:(\w+)\}\}/g, (_m, name: string) =>
    readFileSync(join(prompts, 'components', `${name}.md`), 'utf8'),
  );
  if (variant === 'full_kb') text = text.replace(/\{\{full_knowledge_base\}\}/g, () => formatDocs(docs));
  if (variant === 'golden_retrieval') {
    const wanted = task?.raw.get('required_documents');
    const refs = Array.isArray(wanted) ? wanted.filter((x): x is string => typeof x === 'string') : [];
    const found = refs.flatMap((r) => docs.filter((d) => d.title === r).slice(0, 1).concat(docs.some((d) => d.title === r) ? [] : docs.filter((d) => d.id === r).slice(0, 1)));
    text = text.replaceAll('{{required_documents}}', found.length > 0 ? formatDocs(found) : '(No documents provided)');
  }
  return text;
}

const tokenize = (s: string): string[] => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Okapi BM25 (k1 1.5, b 0.75) over the documents' titles and contents. */
export class Bm25Index {
  private readonly tf: Map<string, number>[];
  private readonly df = new Map<string, number>();
  private readonly lengths: number[];
  private readonly avg: number;

  constructor(readonly docs: readonly KbDocument[]) {
    this.tf = docs.map((d) => {
      const m = new Map<string, number>();
      for (const t of tokenize(`${d.title} ${d.content}`)) m.set(t, (m.get(t) ?? 0) + 1);
      return m;
    });
    for (const m of this.tf) for (const t of m.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.lengths = this.tf.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
    this.avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  search(query: string, k: number): [KbDocument, number][] {
    const n = this.docs.length;
    const terms = tokenize(query);
    const scores = this.tf.map((m, i) => {
      let s = 0;
      for (const t of terms) {
        const f = m.get(t);
        if (!f) continue;
        const df = this.df.get(t)!;
        const idf = Math.log((n - df + 0.5) / (df + 0.5) + 1);
        s += (idf * f * 2.5) / (f + 1.5 * (1 - 0.75 + (0.75 * this.lengths[i]!) / this.avg));
      }
      return s;
    });
    return scores
      .map((s, i) => [this.docs[i]!, s] as [KbDocument, number])
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, k);
  }
}

/** Documents matching a regex, ranked by match count (full content returned). */
export function grepDocuments(docs: readonly KbDocument[], pattern: string): [KbDocument, number][] | string {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'gi');
  } catch (e) {
    return `Error: invalid pattern: ${e instanceof Error ? e.message : String(e)}`;
  }
  return docs
    .map((d) => [d, (`${d.title}\n${d.content}`.match(re) ?? []).length] as [KbDocument, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** τ²'s listing of retrieved documents. */
export function formatResults(results: readonly [KbDocument, number][]): string {
  return results.map(([d, s], i) => `${i + 1}. ${d.title}\n   ID: ${d.id}\n   Score: ${s.toFixed(4)}\n   Content: ${d.content}\n`).join('\n');
}
