"""Per-session prefix KV cache for multi-turn sampling.

In an episode, turn k+1's prompt is turn k's prompt + its completion + a short delta (the tool
result and the next generation prompt). Keeping the keys/values of what was fed lets turn k+1
feed only its new tokens.

An entry maps the token ids fed into the model for one row to that row's per-layer K/V (pads
stripped, true positions 0…len−1 baked in by RoPE). Because attention is causal, the K/V of an
entry's first m tokens depend on those m ids alone, so an entry serves any prompt that shares its
first m ids: a lookup takes the longest common prefix over all entries (an entry that is an exact
prefix of the prompt is the usual multi-turn case; a shared system prompt is another), capped at
len(prompt) − 1 because the last prompt token must be fed to get the next-token logits.

Entries form an LRU bounded by a token budget (the sum of entry lengths never exceeds it). An entry
that is a prefix of another adds nothing (every lookup it serves, the longer one serves as well),
so storing a longer entry drops the shorter ones and a shorter one is not stored.
Stale K/V would be wrong after any weight change: the session clears the cache then.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

# Per layer: (keys, values), each [kv_heads, tokens, head_dim].
LayerKV = tuple[torch.Tensor, torch.Tensor]


@dataclass
class Entry:
    ids: np.ndarray  # int64 [tokens]
    kv: list[LayerKV]

    @property
    def key(self) -> bytes:
        return self.ids.tobytes()


@dataclass
class Hit:
    entry: Entry | None
    length: int  # tokens of the entry reused (0: no hit)


class PrefixCache:
    def __init__(self, budget_tokens: int) -> None:
        self.budget = budget_tokens
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()  # least recently used first
        self.tokens = 0

    def lookup(self, prompt: list[int]) -> Hit:
        """The entry sharing the longest leading run of ids with `prompt`, at most len − 1."""
        p = np.asarray(prompt, dtype=np.int64)
        limit = len(p) - 1
        best = Hit(None, 0)
        for e in self.entries.values():
            n = min(len(e.ids), limit)
            if n <= best.length or e.ids[0] != p[0]:
                continue
            diff = np.flatnonzero(e.ids[:n] != p[:n])
            m = int(diff[0]) if diff.size else n
            if m > best.length:
                best = Hit(e, m)
        if best.entry is not None:
            self.entries.move_to_end(best.entry.key)
        return best

    def put(self, ids: list[int], kv: list[LayerKV]) -> None:
        if not ids or len(ids) > self.budget:
            return
        new = Entry(np.asarray(ids, dtype=np.int64), kv)
        for key, e in list(self.entries.items()):
            short, long = (e.ids, new.ids) if len(e.ids) <= len(new.ids) else (new.ids, e.ids)
            if not np.array_equal(long[: len(short)], short):
                continue
            if short is e.ids:
                self._drop(key)  # the new entry extends it (or equals it): it is redundant
            else:
                self.entries.move_to_end(key)  # an existing entry extends the new one
                return
        while self.tokens + len(ids) > self.budget:
            self._drop(next(iter(self.entries)))
        self.entries[new.key] = new
        self.tokens += len(ids)

    def _drop(self, key: bytes) -> None:
        self.tokens -= len(self.entries.pop(key).ids)

    def clear(self) -> tuple[int, int]:
        """Empties the cache; returns (entries, tokens) freed."""
        freed = (len(self.entries), self.tokens)
        self.entries.clear()
        self.tokens = 0
        return freed


def batch_past(hits: list[Hit], device: torch.device) -> tuple[DynamicCache | None, torch.Tensor]:
    """The hits' K/V left-padded to a common length C as one cache, and its [rows, C] mask."""
    width = max(h.length for h in hits)
    mask = torch.zeros((len(hits), width), dtype=torch.long, device=device)
    if width == 0:
        return None, mask
    proto = next(h.entry for h in hits if h.entry is not None).kv
    layers = []
    for layer, (k0, v0) in enumerate(proto):
        k = k0.new_zeros((len(hits), k0.shape[0], width, k0.shape[2]))
        v = v0.new_zeros((len(hits), v0.shape[0], width, v0.shape[2]))
        for row, h in enumerate(hits):
            if h.entry is not None and h.length:
                ek, ev = h.entry.kv[layer]
                k[row, :, width - h.length :] = ek[:, : h.length]
                v[row, :, width - h.length :] = ev[:, : h.length]
        layers.append((k, v))
    for row, h in enumerate(hits):
        mask[row, width - h.length :] = 1
    return DynamicCache(ddp_cache_data=layers), mask


def row_kv(past: DynamicCache, row: int, columns: torch.Tensor) -> list[LayerKV] | None:
    """Copies of one row's K/V at `columns` (its unpadded positions), or None when the model's
    cache is not plain full attention (a sliding window keeps only its recent positions)."""
    if not all(type(layer) is DynamicLayer for layer in past.layers):
        return None
    return [(layer.keys[row][:, columns], layer.values[row][:, columns]) for layer in past.layers]  # indexing copies
