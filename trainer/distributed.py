"""The process group of a multi-process service (torchrun), and the small collectives it needs.

With one process nothing here communicates: `world()` is 1, `rank()` is 0, `agree` and the
reductions return their input. With N ranks (started by torchrun, which sets RANK/WORLD_SIZE),
every rank holds the same sessions and runs every model-touching request collectively; rank 0
serves HTTP and broadcasts the requests (commands.py).

Data parallelism: rank r of N takes the contiguous shard `shard_range(B, r, N)` of a batch's
sequences; losses are normalised by the *global* weight sum, so the gradients FSDP reduces add
up to the one-process gradient (session.py).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import torch
import torch.distributed as dist


def is_distributed() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def world() -> int:
    return dist.get_world_size() if is_distributed() else 1


def rank() -> int:
    return dist.get_rank() if is_distributed() else 0


def launched_by_torchrun() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def init(timeout_s: float) -> None:
    """Joins the group torchrun set up (env://). gloo carries the CPU tensors and the pickled
    commands; with CUDA, nccl carries the CUDA tensors (FSDP's all-gathers and reduce-scatters)."""
    backend = "cpu:gloo,cuda:nccl" if torch.cuda.is_available() else "gloo"
    if torch.cuda.is_available():
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group(backend, timeout=timedelta(seconds=timeout_s))


def shard_range(n: int, r: int, world_size: int) -> tuple[int, int]:
    """Rank r's contiguous slice [lo, hi) of n items: sizes differ by at most one, earlier ranks
    take the extra ones (n = 5, 2 ranks: [0, 3), [3, 5)). A rank may get none when n < world_size."""
    if world_size < 1 or not 0 <= r < world_size:
        raise ValueError(f"rank {r} outside a world of {world_size}")
    base, extra = divmod(n, world_size)
    lo = r * base + min(r, extra)
    return lo, lo + base + (1 if r < extra else 0)


def agree(t: torch.Tensor) -> torch.Tensor:
    """Rank 0's value of t on every rank (in place). Sampling calls it on each step's tokens so that
    all ranks decode the same rows the same way, whatever their floating-point noise."""
    if is_distributed():
        dist.broadcast(t, src=0)
    return t


def all_sum(values: list[float]) -> list[float]:
    """Element-wise sums over ranks, in one collective."""
    if not is_distributed():
        return values
    t = torch.tensor(values, dtype=torch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return [float(x) for x in t.tolist()]


def all_max(value: float) -> float:
    if not is_distributed():
        return value
    t = torch.tensor([value], dtype=torch.float64)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return float(t.item())


def gather_lists(local: list[Any]) -> list[Any]:
    """The concatenation, in rank order, of every rank's list (per-sequence outputs of a
    data-parallel forward)."""
    if not is_distributed():
        return local
    parts: list[list[Any] | None] = [None] * world()
    dist.all_gather_object(parts, local)
    return [x for p in parts for x in (p or [])]
