"""Collation of forward/forward_backward data into right-padded [B, L] tensors."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .schemas import ForwardDatum


@dataclass
class Batch:
    input_ids: torch.Tensor  # [B, L] long
    attention_mask: torch.Tensor  # [B, L] long
    target_ids: torch.Tensor  # [B, L] long
    weights: torch.Tensor  # [B, L] float; 0 on padding and masked tokens
    advantages: torch.Tensor
    old_logprobs: torch.Tensor
    returns: torch.Tensor
    old_values: torch.Tensor
    lengths: list[int]


def collate(data: list[ForwardDatum], pad_id: int, vocab: int, device: torch.device) -> Batch:
    B, L = len(data), max(len(d.input_ids) for d in data)

    def full(fill: float, dtype: torch.dtype) -> torch.Tensor:
        return torch.full((B, L), fill, dtype=dtype)

    t = {
        "input_ids": full(pad_id, torch.long),
        "attention_mask": full(0, torch.long),
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
        t["attention_mask"][i, :n] = 1
        t["weights"][i, :n] = torch.tensor(d.weights if d.weights is not None else [1.0] * n)
        for name in ("advantages", "old_logprobs", "returns", "old_values"):
            v = getattr(d, name)
            if v is not None:
                t[name][i, :n] = torch.tensor(v, dtype=torch.float32)
    moved = {k: v.to(device) for k, v in t.items()}
    return Batch(**moved, lengths=[len(d.input_ids) for d in data])
