"""One thread owns all tensors; HTTP handlers queue work to it and await the result.

Torch modules, optimizers and RNGs are not thread-safe, and interleaving two requests' forward
passes on 2 cores would only slow both; a single FIFO worker gives both safety and order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import torch

T = TypeVar("T")


class TensorWorker:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tensors", initializer=self._init)
        # Rendering and decoding touch no tensor: a thread of their own, so the renders of many
        # concurrent episodes never queue behind a long sample or training call.
        self.text_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text")

    def _init(self) -> None:
        torch.set_num_threads(self.threads)

    async def run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn)

    async def run_text(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.text_pool, fn)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.text_pool.shutdown(wait=False, cancel_futures=True)
