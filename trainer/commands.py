"""The requests that touch a model, as picklable commands every rank executes.

With one process, the HTTP handlers run `Commands.run` on the tensor worker thread. With N ranks
(torchrun), rank 0 serves HTTP and, on its tensor thread, broadcasts each command to the other
ranks (`broadcast`), which wait in `follow`; then all ranks execute it together (FSDP's
collectives inside) and rank 0's result is the answer. Text-only requests (render, decode,
tokenizers) never reach the other ranks.

Every rank must leave a command in the same state. Deterministic failures (a 400: a token id out
of range, a missing checkpoint) happen on all ranks alike; after each command the ranks compare
their outcomes, and if they differ (one rank ran out of memory, read another file) the sessions
can no longer be trusted to agree: every rank says so on stderr and exits, and torchrun ends the
group, so the client sees the service gone rather than a silently diverged model.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import torch.distributed as dist

from . import checkpoint, distributed
from .facade import Facade
from .schemas import ChatCompletionReq, CreateSession, ExportAdapterReq, ForwardBackwardReq, ForwardReq, LoadReq, OptimStepReq, SampleReq, SaveReq
from .session import Session


@dataclass(frozen=True)
class Command:
    op: str
    sid: str | None = None
    req: Any = None  # the route's request body (a pydantic model), pickled to the other ranks


class Commands:
    """The sessions of one rank and the operations on them."""

    def __init__(self) -> None:
        self.sessions: dict[str, Session] = {}
        self.facade = Facade(self.sessions)

    def run(self, cmd: Command) -> Any:
        """Executes cmd; with N ranks, checks that all ranks came out of it alike."""
        try:
            result, failure = self._execute(cmd), None
        except Exception as e:  # noqa: BLE001 - compared across ranks, then re-raised
            result, failure = None, e
        if distributed.is_distributed():
            _check_agreement(cmd.op, failure)
        if failure is not None:
            raise failure
        return result

    def _execute(self, cmd: Command) -> Any:
        op, req = cmd.op, cmd.req
        if op == "create":
            assert cmd.sid is not None and isinstance(req, CreateSession)
            s = Session(cmd.sid, req)
            self.sessions[cmd.sid] = s
            return s
        if op == "chat":
            assert isinstance(req, ChatCompletionReq)
            return self.facade.complete(req)
        s = self.sessions[str(cmd.sid)]
        if op == "delete":
            return self.sessions.pop(s.id, None)
        if op == "sample":
            assert isinstance(req, SampleReq)
            groups, metrics = s.sample(req)
            samples = [
                [{"ids": c.ids, "logprobs": c.logprobs, "finish_reason": c.finish_reason, "text": s.renderer.decode(c.ids)} for c in g]
                for g in groups
            ]
            return {"samples": samples, "metrics": metrics}
        if op == "cache_clear":
            return s.kv_cache.clear()
        if op == "forward":
            assert isinstance(req, ForwardReq)
            return s.forward(req)
        if op == "forward_backward":
            assert isinstance(req, ForwardBackwardReq)
            return s.forward_backward(req)
        if op == "optim_step":
            assert isinstance(req, OptimStepReq)
            return s.optim_step(req.lr)
        if op == "save":
            assert isinstance(req, SaveReq)
            return checkpoint.save(s, req.path, req.optimizer)
        if op == "load":
            assert isinstance(req, LoadReq)
            return checkpoint.load(s, req.path, req.optimizer)
        if op == "export_adapter":
            assert isinstance(req, ExportAdapterReq)
            return checkpoint.export_adapter(s, req.path)
        raise ValueError(f"unknown command {op!r}")


# Rank 0 sends commands over a group of their own with a long timeout: an idle service waits
# there indefinitely, while FSDP's collectives keep the default group's (shorter) timeout.
_command_group: dist.ProcessGroup | None = None
IDLE_TIMEOUT = timedelta(days=3650)


def command_group() -> dist.ProcessGroup:
    global _command_group
    if _command_group is None:
        _command_group = dist.new_group(backend="gloo", timeout=IDLE_TIMEOUT)
    return _command_group


def broadcast(cmd: Command | None) -> None:
    """Rank 0: sends the next command (None: shut down) to the other ranks."""
    dist.broadcast_object_list([cmd], src=0, group=command_group())


def follow(commands: Commands) -> None:
    """Ranks > 0: execute rank 0's commands until it sends None."""
    while True:
        box: list[Command | None] = [None]
        dist.broadcast_object_list(box, src=0, group=command_group())
        cmd = box[0]
        if cmd is None:
            return
        try:
            commands.run(cmd)
        except Exception:  # noqa: BLE001, S110 - rank 0 reports it; all ranks failed alike
            pass


def _outcome(failure: Exception | None) -> str | None:
    return None if failure is None else f"{type(failure).__name__}: {failure}"


def _check_agreement(op: str, failure: Exception | None) -> None:
    outcomes: list[str | None] = [None] * distributed.world()
    dist.all_gather_object(outcomes, _outcome(failure), group=command_group())
    if len(set(outcomes)) > 1:
        lines = "\n".join(f"  rank {r}: {o or 'ok'}" for r, o in enumerate(outcomes))
        sys.stderr.write(f"trainer: the ranks diverged on {op!r}; the sessions can no longer agree, stopping every rank\n{lines}\n")
        sys.stderr.flush()
        os._exit(1)
