/**
 * banking_knowledge retrieval variants: the prompts of `no_knowledge`, `full_kb` and
 * `golden_retrieval`, BM25 `KB_search`, regex `grep`, and `KB_search` over an OpenAI-compatible
 * embeddings endpoint. Tools are synchronous, so the endpoint runs in a child process (a
 * deterministic bag-of-words embedder on 127.0.0.1); nothing here touches the internet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTau2Tasks, loadTau2World } from '../src/dataset/tau2.ts';
import { loadDocuments } from '../src/domains/tau2-banking/knowledge.ts';
import { tau2DomainDir } from '../src/dataset/tau2.ts';
import { parsePy } from '../src/py/parse.ts';
import type { PyDict } from '../src/py/value.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();
const docs = loadDocuments(tau2DomainDir(dir, 'banking_knowledge'));

const SERVER = `
const http = require('node:http');
const embed = (t) => { const v = new Array(256).fill(0); for (const w of t.toLowerCase().match(/[a-z0-9]+/g) || []) { let h = 7; for (const c of w) h = (h * 31 + c.charCodeAt(0)) >>> 0; v[h % 256] += 1; } return v; };
let calls = 0;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/calls') { res.end(String(calls)); return; }
    if (req.url !== '/v1/embeddings' || req.headers.authorization !== 'Bearer test-key') { res.statusCode = 401; res.end('no'); return; }
    calls++;
    const { input } = JSON.parse(body);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ object: 'list', data: input.map((t, i) => ({ object: 'embedding', index: i, embedding: embed(t) })).reverse() }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let child: ChildProcess;
let port = 0;

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  port = Number(chunk.toString().trim());
});
afterAll(() => {
  child.kill();
});

const call = (domainOpts: Parameters<typeof loadTau2World>[2], name: string, args: string): { content: string; error: boolean } => {
  const env = loadTau2World(dir, 'banking_knowledge', domainOpts).environment();
  const r = env.getResponse({ id: 'c1', name, arguments: parsePy(args) as PyDict, requestor: 'assistant' });
  return { content: r.content, error: r.error };
};

describe('banking_knowledge retrieval variants', () => {
  const target = docs.find((d) => d.title.length > 20)!;

  it('no_knowledge offers no search tool; full_kb inlines every document; golden_retrieval the task’s', () => {
    const none = loadTau2World(dir, 'banking_knowledge');
    expect(none.agentTools().map((t) => t.function.name)).not.toContain('KB_search');
    expect(call({}, 'KB_search', '{"query": "x"}')).toEqual({ content: "Error: Tool 'KB_search' not found.", error: true });
    const full = loadTau2World(dir, 'banking_knowledge', { retrieval: 'full_kb' }).policy();
    for (const d of docs.slice(0, 20)) expect(full).toContain(`## ${d.title}\n\n${d.content}`);
    const task = loadTau2Tasks(dir, 'banking_knowledge').tasks.find((t) => Array.isArray(t.raw.get('required_documents')) && (t.raw.get('required_documents') as unknown[]).length > 0)!;
    const golden = loadTau2World(dir, 'banking_knowledge', { retrieval: 'golden_retrieval' }).policy({ task });
    const first = (task.raw.get('required_documents') as string[])[0]!;
    expect(golden).toContain(`## ${docs.find((d) => d.title === first || d.id === first)!.title}`);
    expect(golden).not.toContain('{{required_documents}}');
  });

  it('bm25 ranks a document first for its own title; grep finds a regex and reports a bad one', () => {
    const r = call({ retrieval: 'bm25' }, 'KB_search', JSON.stringify({ query: target.title }));
    expect(r.error).toBe(false);
    expect(r.content.startsWith(`1. ${target.title}\n   ID: ${target.id}\n   Score: `)).toBe(true);
    const g = call({ retrieval: 'bm25_grep' }, 'grep', JSON.stringify({ pattern: target.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') }));
    expect(g.content).toContain(`ID: ${target.id}`);
    expect(call({ retrieval: 'grep_only' }, 'grep', '{"pattern": "zzqqxx-no-such-text"}').content).toBe('No matches found for pattern: zzqqxx-no-such-text');
    expect(call({ retrieval: 'grep_only' }, 'grep', '{"pattern": "("}').content).toMatch(/^Error: invalid pattern: /);
    expect(loadTau2World(dir, 'banking_knowledge', { retrieval: 'grep_only' }).agentTools().map((t) => t.function.name)).not.toContain('KB_search');
  });

  it('openai_embeddings: KB_search blocks on the endpoint, embeds documents once, ranks by cosine', async () => {
    const embeddings = { baseUrl: `http://127.0.0.1:${port}/v1`, model: 'test-embed', apiKeyEnv: 'TARL_TEST_EMBED_KEY' };
    process.env.TARL_TEST_EMBED_KEY = 'test-key';
    const r1 = call({ retrieval: 'openai_embeddings', embeddings }, 'KB_search', JSON.stringify({ query: target.title }));
    expect(r1.error).toBe(false);
    expect(r1.content).toContain(`ID: ${target.id}`);
    expect(r1.content.match(/^\d+\. .*\n {3}ID: /gm)).toHaveLength(10);
    const callsAfterFirst = Number(await (await fetch(`http://127.0.0.1:${port}/calls`)).text());
    expect(callsAfterFirst).toBe(Math.ceil(docs.length / 64) + 1);
    call({ retrieval: 'openai_embeddings', embeddings }, 'KB_search', '{"query": "credit card fee"}');
    expect(Number(await (await fetch(`http://127.0.0.1:${port}/calls`)).text())).toBe(callsAfterFirst + 1);
    const bad = loadTau2World(dir, 'banking_knowledge', { retrieval: 'openai_embeddings_grep', embeddings: { ...embeddings, apiKeyEnv: 'TARL_TEST_EMBED_NOKEY' } });
    expect(bad.agentTools().map((t) => t.function.name)).toEqual(expect.arrayContaining(['KB_search', 'grep']));
    const e = bad.environment().getResponse({ id: 'c2', name: 'KB_search', arguments: parsePy('{"query": "x"}') as PyDict, requestor: 'assistant' });
    expect(e.error).toBe(true);
    expect(e.content).toContain('TARL_TEST_EMBED_NOKEY');
  });

  it('openai_embeddings without an endpoint is refused when the world loads', () => {
    expect(() => loadTau2World(dir, 'banking_knowledge', { retrieval: 'openai_embeddings' })).toThrow(/needs an embeddings endpoint/);
  });
});
