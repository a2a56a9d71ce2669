"""AdamW with a warmup + constant/linear/cosine learning-rate schedule."""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch
from torch.optim.lr_scheduler import LambdaLR

from .schemas import OptimizerIn, ScheduleIn


def lr_factor(s: ScheduleIn, step: int) -> float:
    if step < s.warmup_steps:
        return (step + 1) / s.warmup_steps
    span = max(1, s.total_steps - s.warmup_steps)
    progress = min(1.0, (step - s.warmup_steps) / span)
    if s.kind == "constant":
        return 1.0
    if s.kind == "linear":
        return s.min_ratio + (1 - s.min_ratio) * (1 - progress)
    return s.min_ratio + (1 - s.min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def build_optimizer(params: Iterable[torch.nn.Parameter], cfg: OptimizerIn) -> tuple[torch.optim.AdamW, LambdaLR]:
    opt = torch.optim.AdamW(list(params), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)
    sched = LambdaLR(opt, lambda step: lr_factor(cfg.schedule, step))
    return opt, sched
