import type { ChatMessage, TokenRecord } from '../../chat/messages.ts';
import type { StepRecord, Trajectory, TurnVerdict } from '../../episode/trajectory.ts';
import { episodeAnchor, escapeHtml } from './escape.ts';

/**
 * The one place that draws an episode: the static `report.html` and the viewer (`tarl view`) both
 * call `renderEpisode`. Everything that came from a model, a user or a dataset goes through
 * `escapeHtml`; the output has no scripts, no inline styles and no event attributes, so it is
 * safe under a CSP that forbids them.
 */

/** A token as the viewer shows it (see `src/web/token-text.ts`). */
export interface ShownToken {
  id: number;
  text: string;
  partial?: number[];
  special: boolean;
  unknown?: boolean;
}

/** A ground-truth action as text: the tool and its arguments as Python's `json.dumps` writes them. */
export interface GroundTruth {
  kind?: string;
  instruction?: string;
  actions: { name: string; arguments: string }[];
  outputs: string[];
}

export interface EpisodeRenderOptions {
  /** The run's common system prompt: folded to one line when an episode's equals it. */
  sharedSystem?: string | undefined;
  /** `details`: one collapsible block among many (the static report); `page`: an episode on its own page. */
  layout: 'details' | 'page';
  /** Prefix of the element ids inside (two episodes on one page must not share ids). */
  idPrefix?: string;
  /** The task's ground truth (from the dataset), shown beside the conversation. */
  groundTruth?: GroundTruth;
  /**
   * Where a spoken user turn's WAV is fetched from (its `<audio>` player's src); default
   * `audio/<sha256>.wav`, relative to the run directory (the static report sits there).
   */
  audioUrl?: (sha256: string) => string;
  /** Show each turn's tokens (shaded by advantage for training rollouts). Absent: counts only. */
  tokens?: {
    /** Per-token text from the run's tokenizer; absent: ids are shown. */
    decode?: (ids: readonly number[]) => readonly ShownToken[];
    /** The run masked the sampled tokens of turns whose output did not parse (`rollout.maskUnparsed`). */
    maskUnparsed: boolean;
  };
}

const signed = (x: number, d = 3): string => `${x > 0 ? '+' : ''}${x.toFixed(d)}`;
const scoreText = (s: number): string => (s > 0 ? '+1' : s < 0 ? '−1' : '0');
const verdictClass = (v: TurnVerdict | undefined): string => (v === undefined ? 'v-none' : v.score < 0 ? 'v-neg' : v.score === 0 ? 'v-zero' : 'v-pos');

/** The default place of a run's audio, relative to its directory (src/voice/store.ts). */
export const runAudioUrl = (sha256: string): string => `audio/${sha256}.wav`;

function messageHtml(m: ChatMessage, audioUrl: (sha256: string) => string = runAudioUrl): string {
  const role = escapeHtml(m.role);
  let body = '';
  if (m.role === 'assistant') {
    if (m.content) body += `<pre>${escapeHtml(m.content)}</pre>`;
    for (const c of m.tool_calls ?? []) body += `<pre class="call">${escapeHtml(`${c.function.name}(${c.function.arguments})`)}</pre>`;
  } else if (m.role === 'tool') {
    body = `<pre class="obs">${escapeHtml(m.content)}</pre>`;
  } else {
    body = `<pre>${escapeHtml(m.content)}</pre>`;
    if (m.role === 'user' && m.audio) {
      // The agent heard this; the text above is its transcript.
      const a = m.audio;
      body += `<div class="audio"><audio controls preload="none" src="${escapeHtml(audioUrl(a.sha256))}"></audio><span class="muted">${escapeHtml(`spoken · ${a.durationS.toFixed(2)} s · ${a.sampleRate / 1000} kHz · ${(a.bytes / 1024).toFixed(1)} KiB`)}</span></div>`;
    }
  }
  return `<div class="msg ${role}"><span class="role">${role}</span>${body}</div>`;
}

/** Advantage → one of 11 shade classes (a-n5 … a-0 … a-p5), full at ±scale. */
function shade(adv: number, scale: number): string {
  const level = Math.max(-5, Math.min(5, Math.round((adv / scale) * 5)));
  return level === 0 ? 'a-0' : level > 0 ? `a-p${level}` : `a-n${-level}`;
}

function tokenSpans(ids: readonly number[], cls: (i: number) => string, title: (i: number) => string, decode: EpisodeRenderOptions['tokens']): string {
  const pieces = decode?.decode?.(ids);
  let out = '';
  for (let i = 0; i < ids.length; i++) {
    const p = pieces?.[i];
    let text: string;
    let extra = '';
    if (!p || p.unknown) {
      text = `#${ids[i]}`;
      extra = ' id';
    } else if (p.partial) {
      text = `‹${p.partial.map((b) => b.toString(16).padStart(2, '0')).join(' ')}›`;
      extra = ' pb';
    } else {
      text = p.text;
      if (p.special) extra = ' sp';
    }
    out += `<span class="t ${cls(i)}${extra}" title="${escapeHtml(title(i))}">${escapeHtml(text)}</span>`;
  }
  return out;
}

function tokenView(e: Trajectory, s: StepRecord, tk: TokenRecord, o: EpisodeRenderOptions, scale: number): string {
  const opt = o.tokens!;
  const context = tk.deltaIds ?? tk.promptIds ?? [];
  const contextWhat = tk.deltaIds ? 'rendered since the previous completion' : tk.promptIds ? 'the whole prompt' : '';
  const adv = e.rl?.advantages_K[s.turn];
  const unparsedMasked = opt.maskUnparsed && tk.parsed === false;
  const masked = e.rl !== undefined && (!e.rl.kept || unparsedMasked);
  const why = !e.rl ? 'not a training rollout: no advantage' : !e.rl.kept ? 'masked: the group carried no signal (dropped)' : unparsedMasked ? 'masked: the output did not parse' : `advantage ${signed(adv ?? 0)}`;
  const sampledCls = (): string => (masked ? 'm' : adv === undefined ? 'a-none' : shade(adv, scale));
  const sampledTitle = (i: number): string =>
    `id ${tk.completionIds[i]} · logp ${tk.logprobs[i]?.toFixed(3) ?? '?'} · ${masked ? 'masked' : adv === undefined ? 'no advantage' : `A ${signed(adv)}`}`;
  const ctx = context.length
    ? `<details class="ctx"${context.length <= 400 ? ' open' : ''}><summary>${escapeHtml(`context · ${context.length} tokens (${contextWhat}) · masked`)}</summary><div class="tokseq">${tokenSpans(context, () => 'm', (i) => `id ${context[i]} · masked (not sampled)`, opt)}</div></details>`
    : '';
  const head = `sampled · ${tk.completionIds.length} tokens · ${why}${tk.finishReason === 'length' ? ' · cut at max tokens' : ''}${tk.parsed === false ? ' · did not parse' : ''}`;
  return `<div class="toks" data-turn="${s.turn}">${ctx}<div class="tokhead">${escapeHtml(head)}</div><div class="tokseq sampled${masked ? ' masked' : ''}">${tokenSpans(tk.completionIds, sampledCls, sampledTitle, opt)}</div></div>`;
}

function turnMeta(s: StepRecord): string {
  const parts: string[] = [];
  if (s.tokens) {
    const ctx = (s.tokens.deltaIds ?? s.tokens.promptIds)?.length;
    if (ctx !== undefined) parts.push(`context ${ctx}`);
    parts.push(`sampled ${s.tokens.completionIds.length} tokens`);
  } else if (s.usage) {
    parts.push(`prompt ${s.usage.promptTokens} · completion ${s.usage.completionTokens} tokens`);
  }
  parts.push(`${Math.round(s.wallMs)} ms`);
  if (s.note) parts.push(s.note);
  return `<div class="turnmeta">${escapeHtml(parts.join(' · '))}</div>`;
}

/** The fields that differ, expected vs got, read from the two `json.dumps` texts. */
function fieldRows(d: { expected: string | null; actual: string | null; fields: string[] }): string {
  const obj = (t: string | null): Record<string, unknown> | null | undefined => {
    if (t === null) return null;
    try {
      const v: unknown = JSON.parse(t);
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const exp = obj(d.expected);
  const act = obj(d.actual);
  if (exp === undefined || act === undefined) return '';
  const show = (o: Record<string, unknown> | null, f: string): string => (o === null ? '(as seeded)' : f in o ? JSON.stringify(o[f]) : '(absent)');
  return d.fields.map((f) => `<tr><th>${escapeHtml(f)}</th><td class="exp">${escapeHtml(show(exp, f))}</td><td class="got">${escapeHtml(show(act, f))}</td></tr>`).join('');
}

function sidePanel(e: Trajectory, o: EpisodeRenderOptions, p: string): string {
  let s = '';
  const outcome = e.termination === 'error' ? 'error: the episode did not finish, so the verifier did not judge it (counts as 0)' : `${e.reward}${e.rewardInfo ? ` · database ${e.rewardInfo.dbMatch ? 'matches' : 'differs'} (${e.rewardInfo.mode})` : ''}`;
  const facts: [string, string][] = [['outcome (verifier)', outcome], ['termination', e.termination]];
  if (e.step !== undefined) facts.push(['training step', `${e.step} · sample ${e.trial}`]);
  if (e.rl) facts.push(['shaped reward', `${e.rl.reward.toFixed(3)} · ${e.rl.kept ? 'kept' : 'group dropped (no signal)'} · ${e.rl.trainTokens} tokens trained`]);
  facts.push(['agent', e.agent], ['user', e.user]);
  if (e.modality) facts.push(['modality', e.modality]);
  if (e.voice) facts.push(['voice', `${e.voice.engine} ${e.voice.engineVersion} · ${e.voice.voice} · ${e.voice.rate} wpm${e.voice.pitch === null ? '' : ` · pitch ${e.voice.pitch}`}${e.voice.snrDb === null ? '' : ` · SNR ${e.voice.snrDb} dB`}`]);
  s += `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  if (e.judge) {
    const neg = e.judge.verdicts.find((v) => v.score < 0);
    const counts = [1, 0, -1].map((sc) => `${scoreText(sc)}: ${e.judge!.verdicts.filter((v) => v.score === sc).length}`).join(' · ');
    s += `<h4>Verdicts (${escapeHtml(e.judge.judge)})</h4>`;
    if (e.judge.status !== 'ok') s += `<p class="err">${escapeHtml(`judge failed: ${e.judge.error ?? 'no reason recorded'}`)}</p>${e.judge.raw ? `<details><summary>raw judge output</summary><pre>${escapeHtml(e.judge.raw)}</pre></details>` : ''}`;
    else s += `<p>${escapeHtml(counts)}${neg ? ` · <a href="#${escapeHtml(`${p}turn-${neg.turn}`)}" class="sneg">${escapeHtml(`−1 at turn ${neg.turn}`)}</a>` : ''}</p>`;
  } else {
    s += '<h4>Verdicts</h4><p class="muted">not judged</p>';
  }
  const gt = o.groundTruth;
  if (gt) {
    const done = new Set(e.steps.flatMap((st) => (st.action.type === 'tool' ? [`${st.action.name}(${st.action.arguments})`] : [])));
    s += `<h4>Ground truth${gt.kind ? ` <span class="muted">(${escapeHtml(gt.kind)})</span>` : ''}</h4>`;
    s += gt.actions.length
      ? `<ol class="gt">${gt.actions
          .map((a) => {
            const text = `${a.name}(${a.arguments})`;
            const hit = done.has(text);
            return `<li class="${hit ? 'hit' : 'miss'}" title="${hit ? 'the agent made this call, same arguments' : 'no call with these exact arguments'}">${escapeHtml(text)}</li>`;
          })
          .join('')}</ol>`
      : '<p class="muted">no actions (nothing to write)</p>';
    if (gt.outputs.length) s += `<p>${escapeHtml(`required outputs: ${gt.outputs.join(', ')}`)}</p>`;
    if (gt.instruction) s += `<details><summary>user instruction</summary><pre>${escapeHtml(gt.instruction)}</pre></details>`;
  }
  const outputs = e.rewardInfo?.outputs ?? [];
  if (outputs.length) s += `<ul class="outputs">${outputs.map((x) => `<li class="${x.found ? 'hit' : 'miss'}">${escapeHtml(`${x.output}: ${x.found ? 'said' : 'missing'}`)}</li>`).join('')}</ul>`;
  const unconfirmed = e.rewardInfo?.unconfirmed ?? [];
  if (unconfirmed.length) s += `<p class="miss">${escapeHtml(`written without the user's yes (fails the episode): ${unconfirmed.map((w) => `turn ${w.turn} ${w.name}`).join(', ')}`)}</p>`;
  const diff = e.rewardInfo?.diff ?? [];
  if (diff.length) {
    s += `<h4>Database diff (${diff.length} record${diff.length === 1 ? '' : 's'})</h4><div class="diff">`;
    for (const d of diff) {
      const rows = fieldRows(d);
      s += `<div class="rec"><div class="reckey">${escapeHtml(`${d.table}/${d.key}`)} <span class="muted">${escapeHtml(`fields: ${d.fields.join(', ') || '(whole record)'}`)}</span></div>`;
      // The changed fields only: whole records (an order with its items and payment history) hid
      // the one value that differs. The records stay in episodes.jsonl and the viewer's raw view.
      if (rows) s += `<table class="fields"><thead><tr><th>field</th><th>expected</th><th>got</th></tr></thead><tbody>${rows}</tbody></table></div>`;
      else s += `<p>expected <code>${escapeHtml(d.expected ?? 'as seeded')}</code><br>got <code>${escapeHtml(d.actual ?? 'as seeded')}</code></p></div>`;
    }
    s += '</div>';
  } else if (e.rewardInfo) {
    s += `<h4>Database diff</h4><p class="muted">${e.rewardInfo.dbMatch ? 'none: the database equals the ground truth’s' : 'not recorded'}</p>`;
  }
  const u = e.usage;
  const sampled = e.steps.reduce((a, st) => a + (st.tokens?.completionIds.length ?? 0), 0);
  const tokenFacts: [string, string][] = [
    ['agent', `prompt ${u.agent.promptTokens} · completion ${u.agent.completionTokens}`],
    ['user', `prompt ${u.user.promptTokens} · completion ${u.user.completionTokens}`],
  ];
  if (sampled) tokenFacts.push(['sampled ids', String(sampled)]);
  const cost = u.agent.costUsd === null || u.user.costUsd === null ? 'unknown' : `$${(u.agent.costUsd + u.user.costUsd).toFixed(4)}`;
  tokenFacts.push(['cost', cost], ['wall', `${(e.wallMs / 1000).toFixed(2)} s`]);
  s += `<h4>Tokens</h4><dl class="facts">${tokenFacts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  return s;
}

/** One-line description of an episode (the report's summary line, the viewer's title). */
export function episodeTitle(e: Trajectory): string {
  const step = e.step === undefined ? `trial ${e.trial}` : `step ${e.step} · sample ${e.trial}`;
  const outcome = e.termination === 'error' ? 'ERROR' : e.reward >= 1 ? 'passed' : 'failed';
  return `${e.taskId} · ${step} · ${outcome} · reward ${e.reward} · ${e.termination} · ${e.steps.length} turns`;
}

export function renderEpisode(e: Trajectory, o: EpisodeRenderOptions): string {
  const p = o.idPrefix ?? '';
  const verdicts = new Map((e.judge?.status === 'ok' ? e.judge.verdicts : []).map((v) => [v.turn, v]));
  const stepOfMessage = new Map(e.steps.map((s) => [s.messageIndex, s]));
  const advs = (e.rl?.advantages_K ?? []).map(Math.abs);
  const scale = Math.max(0.5, ...advs);
  const msgs = e.messages
    .map((m, i) => {
      // The system prompt (the policy) is the same in every episode: folded away.
      if (m.role === 'system') {
        if (m.content === o.sharedSystem) return '<p class="system">system prompt: the run\'s policy (top of the page)</p>';
        return `<details class="system"><summary>system prompt</summary><pre>${escapeHtml(m.content)}</pre></details>`;
      }
      const s = stepOfMessage.get(i);
      if (!s) return messageHtml(m, o.audioUrl);
      const v = verdicts.get(s.turn);
      const badge = v ? `<div class="verdict s${v.score < 0 ? 'neg' : v.score}">turn ${s.turn}: ${scoreText(v.score)} — ${escapeHtml(v.rationale)}</div>` : '';
      const toks = o.tokens && s.tokens ? tokenView(e, s, s.tokens, o, scale) : '';
      return `<div class="turn ${verdictClass(v)}" id="${escapeHtml(`${p}turn-${s.turn}`)}" data-turn="${s.turn}">${messageHtml(m, o.audioUrl)}${badge}${turnMeta(s)}${toks}</div>`;
    })
    .join('');
  const legend = o.tokens && e.steps.some((s) => s.tokens)
    ? `<p class="legend">${escapeHtml(`tokens: shade = the turn's advantage, full at ±${scale.toFixed(2)}`)} <span class="t a-p5">positive</span> <span class="t a-n5">negative</span> <span class="t m">masked (no loss)</span></p>`
    : '';
  const body = `${e.error ? `<p class="err">${escapeHtml(e.error)}</p>` : ''}<div class="ep-body"><div class="conv">${legend}${msgs}</div><aside class="side">${sidePanel(e, o, p)}</aside></div>`;
  const id = escapeHtml(`${p}${episodeAnchor(e.taskId, e.trial)}`);
  const cls = e.termination === 'error' ? 'errored' : e.reward >= 1 ? 'passed' : 'failed';
  if (o.layout === 'details') return `<details class="episode ${cls}" id="${id}"><summary>${escapeHtml(episodeTitle(e))}</summary>${body}</details>`;
  return `<section class="episode" id="${id}">${body}</section>`;
}

export const EPISODE_STYLE = `pre{white-space:pre-wrap;margin:2px 0;font-size:12px}
.msg{border-left:3px solid #ccc;padding-left:8px;margin:6px 0}.msg.user{border-color:#4a78c2}.msg.assistant{border-color:#2e9d4f}.msg.tool{border-color:#999}
.role{font-size:11px;color:#666;text-transform:uppercase}.call{color:#7a4bb0}.obs{color:#555}.verdict{font-size:12px;margin:0 0 6px 11px}
.system{color:#666;font-size:12px;margin:4px 0}details.system{color:#666;margin:4px 0}.s1{color:#2e7d32}.s0{color:#8a6d00}.sneg{color:#c62828;font-weight:600}.err{color:#c62828}
details.episode{border-top:1px solid #eee;padding:4px 0}.muted{color:#777}
details.episode>summary{border-left:4px solid #ccc;padding-left:6px}details.passed>summary{border-color:#2e9d4f}details.failed>summary{border-color:#d2463c}details.errored>summary{border-color:#e69a1c;background:#fff4e0}
.ep-body{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:16px;align-items:start}
.side{font-size:12px;border-left:1px solid #e3e3e3;padding-left:12px;position:sticky;top:8px;max-height:100vh;overflow:auto}.side h4{margin:10px 0 4px}
.side dl.facts{display:grid;grid-template-columns:max-content auto;gap:1px 8px;margin:0}.side dt{font-weight:600}.side dd{margin:0}
.turn{border-radius:4px;padding:2px 6px;margin:4px 0}.turn.v-neg{background:#fde3e1;outline:2px solid #c62828}.turn.v-zero{background:#fff7dc}.turn.v-pos{background:#eef8f0}
.turnmeta{font-size:11px;color:#777;margin-left:11px}
ol.gt,ul.outputs{padding-left:18px;margin:2px 0}.gt li,.outputs li{word-break:break-all;font-family:ui-monospace,monospace;font-size:11px}li.hit::marker{color:#2e7d32}li.hit{color:#1b5e20}li.miss{color:#8a1c1c}
.diff .rec{margin:4px 0 8px}.reckey{font-weight:600;word-break:break-all}table.fields{border-collapse:collapse;font-size:11px;width:100%}table.fields td,table.fields th{border:1px solid #ddd;padding:2px 4px;text-align:left;word-break:break-all}
td.exp{background:#eef8f0}td.got{background:#fde3e1}.diff code{font-size:11px;word-break:break-all}
.toks{margin:4px 0 6px 11px;background:#fff;border:1px solid #e3e3e3;border-radius:4px;padding:2px 6px}.tokhead,.ctx summary{font-size:11px;color:#555}.tokseq{font:12px/1.7 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
.t{border-radius:2px}.t.sp{outline:1px solid #999}.t.pb,.t.id{font-size:10px;color:#555}
.t.m{color:#8a8a8a;background:repeating-linear-gradient(135deg,#efefef 0 4px,#e2e2e2 4px 8px)}.tokseq.masked{border-left:3px dashed #aaa;padding-left:4px}
.a-p1{background:#e3f4e6}.a-p2{background:#c8e9ce}.a-p3{background:#a4d9ad}.a-p4{background:#7cc78a}.a-p5{background:#4fae62}
.a-n1{background:#fbe4e2}.a-n2{background:#f6c8c4}.a-n3{background:#efa49d}.a-n4{background:#e57a70}.a-n5{background:#d2463c}.a-0,.a-none{background:#f4f4f4}.a-p5,.a-n5{color:#fff}
.legend{font-size:11px;color:#555}.audio{display:flex;align-items:center;gap:8px;font-size:11px}.audio audio{height:28px}`;
