"""FSDP2 (`fully_shard`) for a session's modules, and moving their state between the sharded
form (DTensor parameters, each rank holding a slice) and the full form checkpoints store.

Every transformer block is its own FSDP unit (its parameters are all-gathered just before it runs
and freed after), the root module holds the rest (embeddings, tied LM head, final norm, a value
head). A LoRA model is sharded the same way: frozen base weights and trainable adapters share the
units; only parameters with gradients are reduce-scattered.

Checkpoints stay in the one-process format (checkpoint.py): the full state is gathered to rank 0,
which writes it; on load every rank reads the files and keeps its own slice. So a checkpoint
written by N ranks is byte-for-byte what one process writes and loads with any world size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict, set_model_state_dict
from torch.distributed.device_mesh import DeviceMesh, init_device_mesh
from torch.distributed.fsdp import FSDPModule, fully_shard
from torch.distributed.tensor import DTensor, distribute_tensor

FULL_TO_RANK0 = StateDictOptions(full_state_dict=True, cpu_offload=True)
FULL_ON_EVERY_RANK = StateDictOptions(full_state_dict=True, strict=False)

_meshes: dict[str, DeviceMesh] = {}


def mesh(device: torch.device) -> DeviceMesh:
    """One 1-D data-parallel mesh over all ranks per device type."""
    if device.type not in _meshes:
        _meshes[device.type] = init_device_mesh(device.type, (dist.get_world_size(),), mesh_dim_names=("dp",))
    return _meshes[device.type]


def block_classes(model: nn.Module) -> set[str]:
    """Names of the classes Hugging Face keeps whole (`_no_split_modules`): the decoder layers."""
    names: set[str] = set()
    for m in model.modules():
        names.update(getattr(m, "_no_split_modules", None) or [])
    return names


def shard(model: nn.Module, device: torch.device) -> None:
    """fully_shard on every block, then on the root (in place). Blocks first: a unit takes the
    parameters not already claimed by a unit inside it."""
    m = mesh(device)
    blocks = block_classes(model)
    for sub in list(model.modules()):
        if sub is not model and type(sub).__name__ in blocks:
            fully_shard(sub, mesh=m)
    fully_shard(model, mesh=m)


def fsdp_units(model: nn.Module) -> list[FSDPModule]:
    return [m for m in model.modules() if isinstance(m, FSDPModule)]


@contextmanager
def unsharded(model: nn.Module) -> Iterator[None]:
    """The full weights on every rank for the duration (one all-gather per unit), so that many
    small forward calls (sampling's decode steps) run without any communication."""
    units = fsdp_units(model)
    for u in units:
        u.set_reshard_after_forward(False, recurse=False)
        u.unshard()
    try:
        yield
    finally:
        for u in units:
            u.reshard()
            u.set_reshard_after_forward(True, recurse=False)


def full_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The module's full state dict on rank 0 (on the CPU), {} on the other ranks. Collective."""
    return get_model_state_dict(model, options=FULL_TO_RANK0)


def load_full_state(model: nn.Module, state: dict[str, torch.Tensor]) -> tuple[list[str], list[str]]:
    """Loads a full state dict that every rank holds; each rank keeps its slice. Returns
    (missing, unexpected) keys, as load_state_dict(strict=False) does."""
    res = set_model_state_dict(model, state, options=FULL_ON_EVERY_RANK)
    return list(res.missing_keys), list(res.unexpected_keys)


def grad_norm(params: Sequence[nn.Parameter]) -> torch.Tensor:
    """The L2 norm of all gradients (each rank holds a slice of each): the same value on every rank."""
    sq = torch.zeros((), dtype=torch.float64)
    for p in params:
        if p.grad is not None:
            g = p.grad.to_local() if isinstance(p.grad, DTensor) else p.grad
            sq += g.detach().double().pow(2).sum().cpu()
    dist.all_reduce(sq)
    return sq.sqrt().float()


def clip_grads(params: Sequence[nn.Parameter], max_norm: float | None) -> float:
    """clip_grad_norm_ over sharded gradients: the norm is the global one (reduced over ranks)."""
    norm = grad_norm(params)
    if max_norm is not None:
        grads = [p.grad for p in params if p.grad is not None]
        coef = torch.clamp(max_norm / (norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef.to(g.device))
    return float(norm)


def full_optimizer_state(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """optimizer.state_dict() with every sharded tensor gathered whole: what one process would
    have (indexed by parameter position, the same on any world size). Collective; every rank
    gets it."""
    sd = optimizer.state_dict()
    state = {i: {k: (v.full_tensor().cpu() if isinstance(v, DTensor) else v) for k, v in s.items()} for i, s in sorted(sd["state"].items())}
    return {"state": state, "param_groups": sd["param_groups"]}


def shard_optimizer_state(optimizer: torch.optim.Optimizer, params: Sequence[nn.Parameter], sd: dict[str, Any]) -> None:
    """Loads a full optimizer state (full_optimizer_state, or a one-process save) into an optimizer
    over sharded parameters: each rank keeps its slice of every per-parameter tensor."""
    state: dict[int, dict[str, Any]] = {}
    for i, s in sd["state"].items():
        p = params[int(i)]
        out: dict[str, Any] = {}
        for k, v in s.items():
            if isinstance(p, DTensor) and isinstance(v, torch.Tensor) and v.shape == p.shape:
                # Every rank read the same file: take the local slice, no communication needed.
                out[k] = distribute_tensor(v.to(p.device_mesh.device_type), p.device_mesh, p.placements, src_data_rank=None)
            else:
                out[k] = v
        state[int(i)] = out
    optimizer.load_state_dict({"state": state, "param_groups": sd["param_groups"]})
