"""Collation of forward/forward_backward data, and how a batch is split into model calls.

Rows are right-padded into [B, L] tensors and run WITHOUT an attention mask: in a causal LM a real
token only attends to earlier positions, which are real too, so right padding needs no mask; the
outputs at pad positions are garbage that weights = 0 exclude (with `where`, so exactly zero
gradient). A mask would switch SDPA to its slow masked path (measured: 2 padded episodes per call
trained at 3.3k tok/s against 8.2k for one per call, tiny preset, CPU).

A plan splits the rows into model calls:
- shared prefix: when every row starts with the same ≥ MIN_SHARED_PREFIX ids (a system prompt; an
  RL group's system prompt + first user message), that prefix runs once, with gradients, and its
  K/V are expanded over the rows, which then run only their suffixes. The per-token outputs of the
  prefix positions are computed once and broadcast. Gradients flow back through the expansion into
  the single prefix computation: the sum over rows the unshared computation would do.
- chunks: the (suffix) rows sorted longest first and grouped so that a call holds at most
  `chunk_tokens` padded tokens (None: one call). On a CPU, one call over a large batch is slower
  per token than several smaller ones (the [rows, tokens, vocab] logits fall out of cache), and
  grouping by length keeps the padding small.
All calls belong to one graph and one backward pass, so the result is the unsplit computation's.

Audio (audio models): a batch with audio spans carries `keys` (the ids with placeholders made
audio-specific, audio.cache_keys), which decide the shared prefix, and the model is fed embeddings
(`run(..., inputs_embeds=…)`, built by audio.embed_rows) instead of ids; a text batch takes exactly
the path above.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from transformers import DynamicCache

from .audio import Span
from .schemas import ForwardDatum

MIN_SHARED_PREFIX = 32  # shorter common prefixes save less than the extra model call costs


@dataclass
class Batch:
    input_ids: torch.Tensor  # [B, L] long, right-padded
    target_ids: torch.Tensor  # [B, L] long
    weights: torch.Tensor  # [B, L] float; 0 on padding and masked tokens
    advantages: torch.Tensor
    old_logprobs: torch.Tensor
    returns: torch.Tensor
    old_values: torch.Tensor
    lengths: list[int]
    # Audio models: per row its audio spans, and the [B, L] keys the shared prefix is found by.
    spans: list[list[Span]] | None = None
    keys: torch.Tensor | None = None


def collate(data: list[ForwardDatum], pad_id: int, vocab: int, device: torch.device, spans: list[list[Span]] | None = None, keys: list[list[int]] | None = None) -> Batch:
    B, L = len(data), max(len(d.input_ids) for d in data)

    def full(fill: float, dtype: torch.dtype) -> torch.Tensor:
        return torch.full((B, L), fill, dtype=dtype)

    t = {
        "input_ids": full(pad_id, torch.long),
        "target_ids": full(pad_id, torch.long),
        "weights": full(0.0, torch.float32),
        "advantages": full(0.0, torch.float32),
        "old_logprobs": full(0.0, torch.float32),
        "returns": full(0.0, torch.float32),
        "old_values": full(0.0, torch.float32),
    }
    for i, d in enumerate(data):
        n = len(d.input_ids)
        for name, ids in (("input_ids", d.input_ids), ("target_ids", d.target_ids)):
            bad = [x for x in ids if not 0 <= x < vocab]
            if bad:
                raise ValueError(f"data[{i}].{name} has token id {bad[0]} outside [0, {vocab})")
            t[name][i, :n] = torch.tensor(ids, dtype=torch.long)
        t["weights"][i, :n] = torch.tensor(d.weights if d.weights is not None else [1.0] * n)
        for name in ("advantages", "old_logprobs", "returns", "old_values"):
            v = getattr(d, name)
            if v is not None:
                t[name][i, :n] = torch.tensor(v, dtype=torch.float32)
    moved = {k: v.to(device) for k, v in t.items()}
    key_t = None
    if keys is not None:
        # Pads get a key no id or audio key has, so they never extend a shared prefix.
        key_t = torch.full((B, L), -(1 << 63), dtype=torch.long)
        for i, k in enumerate(keys):
            key_t[i, : len(k)] = torch.tensor(k, dtype=torch.long)
        key_t = key_t.to(device)
    return Batch(**moved, lengths=[len(d.input_ids) for d in data], spans=spans, keys=key_t)


@dataclass
class Plan:
    prefix: int  # leading ids shared by every row, run once (0: none)
    chunks: list[list[int]]  # row indices per model call, longest first


def shared_prefix(b: Batch) -> int:
    """Length of the ids every row starts with, leaving each row at least one token of its own."""
    if len(b.lengths) < 2:
        return 0
    ids = b.keys if b.keys is not None else b.input_ids
    same = (ids == ids[:1]).all(0)
    differs = torch.nonzero(~same)
    n = int(differs[0, 0]) if len(differs) else b.input_ids.shape[1]
    return min(n, min(b.lengths) - 1)


def plan(b: Batch, chunk_tokens: int | None, share_prefix: bool = True) -> Plan:
    prefix = shared_prefix(b) if share_prefix else 0
    if prefix < MIN_SHARED_PREFIX:
        prefix = 0
    chunks: list[list[int]] = []
    for i in sorted(range(len(b.lengths)), key=lambda r: -b.lengths[r]):
        cur = chunks[-1] if chunks else None
        if cur is not None and (chunk_tokens is None or (len(cur) + 1) * (b.lengths[cur[0]] - prefix) <= chunk_tokens):
            cur.append(i)
        else:
            chunks.append([i])
    return Plan(prefix, chunks)


# What a model call's output becomes per token: (output, target ids [rows, tokens]) → name →
# [rows, tokens]. For the shared prefix the output has one row; the head broadcasts it over rows.
Head = Callable[[Any, torch.Tensor], dict[str, torch.Tensor]]


def run(model: nn.Module, b: Batch, p: Plan, head: Head, inputs_embeds: torch.Tensor | None = None, **model_kw: Any) -> dict[str, torch.Tensor]:
    """Runs `model` (a causal LM or a bare backbone) over the batch as the plan says; returns
    head's per-token tensors as [B, L]. With `inputs_embeds` ([B, L, hidden]: audio) the model is
    fed those rows and columns instead of the ids."""
    L = b.input_ids.shape[1]
    pre: dict[str, torch.Tensor] = {}
    prefix_kv: list[tuple[torch.Tensor, torch.Tensor]] = []

    def feed(rows: Any, cols: slice) -> dict[str, torch.Tensor]:
        return {"input_ids": b.input_ids[rows, cols]} if inputs_embeds is None else {"inputs_embeds": inputs_embeds[rows, cols]}

    if p.prefix:
        out = model(**feed(slice(0, 1), slice(0, p.prefix)), use_cache=True, **model_kw)
        pre = head(out, b.target_ids[:, : p.prefix])
        prefix_kv = [(layer.keys, layer.values) for layer in out.past_key_values.layers]
    parts: list[dict[str, torch.Tensor]] = []
    for rows in p.chunks:
        width = max(b.lengths[r] for r in rows) - p.prefix
        idx = torch.tensor(rows, device=b.input_ids.device)
        cols = slice(p.prefix, p.prefix + width)
        kw: dict[str, Any] = {"use_cache": False}
        if prefix_kv:
            n = len(rows)
            expanded = [(k.expand(n, -1, -1, -1), v.expand(n, -1, -1, -1)) for k, v in prefix_kv]
            positions = torch.arange(p.prefix, p.prefix + width, device=idx.device).expand(n, -1)
            kw = {"use_cache": True, "past_key_values": DynamicCache(ddp_cache_data=expanded), "position_ids": positions}
        out = model(**feed(idx, cols), **kw, **model_kw)
        parts.append({k: F.pad(v, (0, L - p.prefix - width)) for k, v in head(out, b.target_ids[idx, cols]).items()})
    inverse = torch.argsort(torch.tensor([r for rows in p.chunks for r in rows], device=b.input_ids.device))
    result = {}
    for name in parts[0]:
        rows_in_order = torch.cat([part[name] for part in parts])[inverse]
        result[name] = torch.cat([pre[name], rows_in_order], 1) if p.prefix else rows_in_order
    return result
