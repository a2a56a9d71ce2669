import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { escapeHtml } from '../eval/report/escape.ts';
import { appScript, APP_CSS } from './assets.ts';
import { isTraversal, runFile } from './files.ts';
import { compareEpisodePage, comparePage } from './pages/compare.ts';
import { episodePage, episodesPage } from './pages/episodes.ts';
import { page } from './pages/layout.ts';
import { overviewPage, runPage } from './pages/runs.ts';
import type { RunCatalog } from './runs.ts';

/** The app's pages: scripts and styles from this origin only, nothing inline, no frames, no foreign forms. */
export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A run's own `report.html`: its policy (inline style and SVG, no script at all). */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src 'self'; frame-ancestors 'none'";

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Env = { Bindings: HttpBindings };

function errorPage(c: Context<Env>, status: 400 | 403 | 404 | 500, title: string, message: string): Response {
  return c.html(page({ title, body: `<div class="problems">${escapeHtml(message)}</div>` }), status);
}

/**
 * The viewer's routes (docs/view.md). Every page is rendered on the server from the run
 * directories in `cat`; the only script is /assets/app.js (live curves).
 */
export function buildViewApp(cat: RunCatalog): Hono<Env> {
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    // DNS rebinding: a foreign page must not reach this loopback server under its own host name.
    const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(host)) return c.text(`refused: host '${host}' is not this loopback server`, 403);
    // Dot segments and encoded separators never reach a route (the URL parser would resolve them).
    const raw = c.env?.incoming?.url ?? new URL(c.req.url).pathname;
    if (isTraversal(raw)) return c.text('refused: the path leaves the run directories this viewer serves', 403);
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', APP_CSP);
  });

  app.onError((err, c) => errorPage(c, 500, 'Error', err instanceof Error ? err.message : String(err)));
  app.notFound((c) => errorPage(c, 404, 'Not found', `${c.req.path}: no such page`));

  app.get('/assets/app.js', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(await appScript(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }));

  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/', async (c) => c.html(await overviewPage(cat)));

  app.get('/runs/:id', async (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return errorPage(c, 404, 'No such run', `no run '${c.req.param('id')}'`);
    return c.html(await runPage(cat, r));
  });

  app.get('/runs/:id/episodes', async (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return errorPage(c, 404, 'No such run', `no run '${c.req.param('id')}'`);
    return c.html(await episodesPage(cat, r, c.req.query()));
  });

  app.get('/runs/:id/episodes/:n{[0-9]+}', async (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return errorPage(c, 404, 'No such run', `no run '${c.req.param('id')}'`);
    const { status, html } = await episodePage(cat, r, Number(c.req.param('n')), c.req.query());
    return c.html(html, status);
  });

  app.get('/runs/:id/episodes/:n{[0-9]+}/raw', async (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return c.text(`no run '${c.req.param('id')}'`, 404);
    const idx = await cat.index(r);
    const n = Number(c.req.param('n'));
    if (n >= idx.count) return c.text(`${r.label} has ${idx.count} episodes; there is no #${n}`, 404);
    return c.text(await idx.text(n), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  app.get('/runs/:id/files/*', (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return c.text(`no run '${c.req.param('id')}'`, 404);
    const rawPath = (c.env?.incoming?.url ?? new URL(c.req.url).pathname).split('?')[0]!;
    const prefix = `/runs/${r.id}/files/`;
    if (!rawPath.startsWith(prefix)) return c.text('refused: the path leaves the run directories this viewer serves', 403);
    const f = runFile(r.dir, rawPath.slice(prefix.length).split('/'));
    if (!f.ok) return c.text(f.message, f.status);
    const headers: Record<string, string> = { 'Content-Type': f.contentType, 'Content-Length': String(f.size) };
    if (f.report) headers['Content-Security-Policy'] = REPORT_CSP;
    if (f.contentType === 'application/octet-stream') headers['Content-Disposition'] = 'attachment';
    return new Response(Readable.toWeb(createReadStream(f.path)) as ReadableStream<Uint8Array>, { status: 200, headers });
  });

  app.get('/api/runs/:id/metrics', async (c) => {
    const r = cat.get(c.req.param('id'));
    if (!r) return c.json({ error: `no run '${c.req.param('id')}'` }, 404);
    const from = Number(c.req.query('from') ?? '0');
    const line = Number(c.req.query('line') ?? '1');
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(line) || line < 1) return c.json({ error: 'from must be a byte offset ≥ 0 and line a line number ≥ 1' }, 400);
    const chunk = await r.run.metricsFrom(from, line, c.req.query('file'));
    c.header('Cache-Control', 'no-store');
    return c.json(chunk);
  });

  app.get('/compare', async (c) => c.html(await comparePage(cat, c.req.query())));
  app.get('/compare/episode', async (c) => {
    const { status, html } = await compareEpisodePage(cat, c.req.query());
    return c.html(html, status);
  });

  return app;
}
