"""One thread owns all tensors; HTTP handlers queue work to it and await the result.

Torch modules, optimizers and RNGs are not thread-safe, and interleaving two requests' forward
passes on 2 cores would only slow both; a single FIFO worker gives both safety and order. With N
ranks it is also the one thread that talks to the other ranks: it broadcasts each command just
before executing it, so all ranks see the commands in the same order (commands.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import torch

from . import commands, distributed

T = TypeVar("T")


class TensorWorker:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tensors", initializer=self._init)
        # Rendering and decoding touch no tensor: a thread of their own, so the renders of many
        # concurrent episodes never queue behind a long sample or training call.
        self.text_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text")
        self.commands = commands.Commands()

    def _init(self) -> None:
        torch.set_num_threads(self.threads)

    async def run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn)

    async def call(self, cmd: commands.Command) -> Any:
        """Executes a model-touching command (on every rank, when there are several)."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, self._call, cmd)

    def _call(self, cmd: commands.Command) -> Any:
        if distributed.is_distributed():
            commands.broadcast(cmd)
        return self.commands.run(cmd)

    def stop_followers(self) -> None:
        """Tells the other ranks to exit (after the last command, on the tensor thread)."""
        if distributed.is_distributed():
            self.pool.submit(commands.broadcast, None).result()

    async def run_text(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.text_pool, fn)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.text_pool.shutdown(wait=False, cancel_futures=True)
