"""Batched, KV-cached sampling with left padding and an optional prefix cache.

Each prompt is prefilled once (its n rows share that K/V, expanded after the prefill). With a
PrefixCache (kv_cache.py) a prompt feeds only the tokens after its cached prefix. Layout of the
prefill, per row (pads have attention mask 0, so holes in the mask are fine):

    [ left pads | cached K/V ] [ left pads | new tokens ]      C + N columns
       reused, never fed         fed now

Position ids come from the mask (cumsum − 1), so every row sees its true positions whatever its
padding, and the decode steps append one column per step. Reported log-probs are log
softmax(logits / T) of the chosen token — the distribution before top-p truncation, which is what
/forward computes at the same temperature. T = 0 is greedy, reported at T = 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from . import distributed
from .audio import Span, embed_rows, span_pieces
from .kv_cache import Hit, PrefixCache, batch_past, row_kv


@dataclass
class Completion:
    ids: list[int]
    logprobs: list[float]
    finish_reason: str  # "stop" (a stop token, included in ids) or "length"


@dataclass
class PromptAudio:
    """The audio of a batch of prompts (audio models): per prompt its spans and its cache keys (ids
    with placeholders made audio-specific, audio.cache_keys), and each file's encoder output."""

    spans: list[list[Span]]
    keys: list[list[int]]
    embeds: dict[str, torch.Tensor]


@dataclass
class PrefillStats:
    prefill_tokens: int  # prompt tokens fed (once per prompt, not per row)
    cached_tokens: int  # prompt tokens whose K/V came from the cache


def left_pad(rows: list[list[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, width - len(r) :] = torch.tensor(r, dtype=torch.long)
        mask[i, width - len(r) :] = 1
    return ids.to(device), mask.to(device)


def _top_p_filter(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    if top_p >= 1.0:
        return probs
    sorted_p, order = torch.sort(probs, descending=True, dim=-1)
    before = sorted_p.cumsum(-1) - sorted_p  # mass strictly before each token
    sorted_p = torch.where(before < top_p, sorted_p, torch.zeros_like(sorted_p))
    return torch.zeros_like(probs).scatter(-1, order, sorted_p)


def sample_chunks(prompts: list[list[int]], n: int, max_tokens: int, budget: int | None) -> list[tuple[int, int]]:
    """[lo, hi) prompt ranges, in order, each as many prompts as keep rows × (longest prompt +
    max_tokens) within `budget` (at least one prompt per chunk; None: one chunk)."""
    if budget is None or not prompts:
        return [(0, len(prompts))]
    out: list[tuple[int, int]] = []
    lo, longest = 0, 0
    for i, p in enumerate(prompts):
        wider = max(longest, len(p))
        if i > lo and (i - lo + 1) * n * (wider + max_tokens) > budget:
            out.append((lo, i))
            lo, wider = i, len(p)
        longest = wider
    out.append((lo, len(prompts)))
    return out


@torch.no_grad()
def sample(
    model: nn.Module,
    prompts: list[list[int]],
    n: int,
    max_tokens: int,
    temperature: float,
    top_p: float,
    stop_ids: set[int],
    pad_id: int,
    generator: torch.Generator,
    cache: PrefixCache | None = None,
    row_generators: list[torch.Generator] | None = None,
    audio: PromptAudio | None = None,
) -> tuple[list[list[Completion]], PrefillStats]:
    """Returns, per prompt, its n completions. With `cache`, reads it before and fills it after.
    With `row_generators` (one per row, prompts × n), each row draws from its own stream: its
    tokens are then the same whatever else shares the batch (reproducible batched rollouts).
    With `audio`, the prefill takes embeddings (the encoder output at the placeholders) and the
    cache is keyed by the audio-specific keys, so cached K/V never cross utterances."""
    device = next(model.parameters()).device
    keys = audio.keys if audio is not None else prompts
    hits = [cache.lookup(k) if cache is not None else Hit(None, 0) for k in keys]
    past, mask = batch_past(hits, device)
    cached_width = mask.shape[1]
    new_ids, new_mask = left_pad([p[h.length :] for p, h in zip(prompts, hits)], pad_id, device)
    mask = torch.cat([mask, new_mask], dim=1)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)[:, cached_width:]
    if audio is None:
        inputs = {"input_ids": new_ids}
    else:
        width = new_ids.shape[1]
        offsets = [width - (len(p) - h.length) for p, h in zip(prompts, hits)]
        pieces = span_pieces(audio.spans, audio.embeds, [h.length for h in hits], offsets)
        inputs = {"inputs_embeds": embed_rows(model, new_ids, pieces)}
    out = model(**inputs, attention_mask=mask, position_ids=positions, past_key_values=past, use_cache=True, logits_to_keep=1)
    logits, past = out.logits[:, -1, :], out.past_key_values
    if n > 1:
        logits, mask = logits.repeat_interleave(n, 0), mask.repeat_interleave(n, 0)
        past.batch_repeat_interleave(n)
    rows = [k for k in keys for _ in range(n)]
    B = len(rows)
    done = torch.zeros(B, dtype=torch.bool, device=device)
    # Per step: [B] tokens, [B] log-probs, [B] "row still live"; unpacked once at the end, so the
    # loop never syncs to Python per row.
    steps_tok: list[torch.Tensor] = []
    steps_lp: list[torch.Tensor] = []
    steps_live: list[torch.Tensor] = []
    stop_t = torch.tensor(sorted(stop_ids), dtype=torch.long, device=device)
    for _ in range(max_tokens):
        logits = logits.float()
        if temperature > 0:
            logp = torch.log_softmax(logits / temperature, dim=-1)
            probs = _top_p_filter(logp.exp(), top_p)
            if row_generators is None:
                nxt = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
            else:
                nxt = torch.cat([torch.multinomial(probs[i], 1, generator=g) for i, g in enumerate(row_generators)])
        else:
            logp = torch.log_softmax(logits, dim=-1)
            nxt = logp.argmax(-1)
        chosen = logp.gather(-1, nxt[:, None]).squeeze(-1)
        nxt = distributed.agree(torch.where(done, torch.full_like(nxt, pad_id), nxt))
        steps_tok.append(nxt)
        steps_lp.append(chosen)
        steps_live.append(~done)
        done = done | torch.isin(nxt, stop_t)
        if bool(done.all()):
            break
        mask = torch.cat([mask, torch.ones((B, 1), dtype=mask.dtype, device=device)], dim=1)
        pos = (mask.sum(-1, keepdim=True) - 1)
        out = model(input_ids=nxt[:, None], attention_mask=mask, position_ids=pos, past_key_values=past, use_cache=True)
        logits, past = out.logits[:, -1, :], out.past_key_values
    tok_BT = torch.stack(steps_tok, 1).tolist()
    lp_BT = torch.stack(steps_lp, 1).tolist()
    live_BT = torch.stack(steps_live, 1).tolist()
    toks_BT = [[t for t, ok in zip(tok_BT[i], live_BT[i]) if ok] for i in range(B)]
    lps_BT = [[x for x, ok in zip(lp_BT[i], live_BT[i]) if ok] for i in range(B)]
    result: list[list[Completion]] = []
    for p in range(len(prompts)):
        group = []
        for i in range(p * n, (p + 1) * n):
            stopped = bool(toks_BT[i]) and toks_BT[i][-1] in stop_ids
            group.append(Completion(toks_BT[i], lps_BT[i], "stop" if stopped else "length"))
        result.append(group)
    if cache is not None:
        for i, row in enumerate(rows):
            # What was fed: the prompt and every completion token but the last (sampled, never fed);
            # by key, so a prompt's audio is part of what an entry stands for.
            fed = row + toks_BT[i][:-1]
            kv = row_kv(past, i, mask[i].nonzero().squeeze(-1)[: len(fed)])
            if kv is not None:
                cache.put(fed, kv)
    stats = PrefillStats(sum(len(p) - h.length for p, h in zip(prompts, hits)), sum(h.length for h in hits))
    return result, stats
