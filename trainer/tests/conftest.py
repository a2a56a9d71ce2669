from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from trainer.schemas import CreateSession
from trainer.session import Session

torch.set_num_threads(2)


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Keep the tokenizer cache inside the repo's .cache unless a test run overrides it.
    os.environ.setdefault("TARL_CACHE_DIR", str(Path(__file__).resolve().parents[2] / ".cache"))


@pytest.fixture
def make_session() -> Callable[..., Session]:
    def make(**kw: Any) -> Session:
        body: dict[str, Any] = {"model": {"preset": "tiny"}, **kw}
        return Session("t", CreateSession.model_validate(body))

    return make
