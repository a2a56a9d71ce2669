"""Two ranks (torchrun, gloo, CPU, FSDP2) against one process, on the tiny preset.

The same batch gives the same losses, gradient norms, updated weights, log-probs and greedy
samples (float32, absolute tolerance ATOL); a checkpoint saved by 2 ranks loads in 1 process and
one saved by 1 process loads on 2 ranks, weights and optimizer state (the next step agrees too);
the HTTP service runs with --nproc 2, and killing its rank 0 ends every process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from trainer.commands import Commands
from trainer.distributed import shard_range
from trainer.schemas import CreateSession, ForwardReq
from trainer.session import Session
import dist_scenarios as sc

ROOT = Path(__file__).resolve().parents[2]
# float32 on the CPU; the two sides differ in summation order only (each rank's shard, the
# reduction of two partial gradients): gradients agree within ~2e-7. Observed on the three
# scenarios: losses and metrics ≤ 2e-7 apart, weights after one AdamW step ≤ ~5e-7 at lr 1e-4
# (AdamW's first step divides by |g|, so tiny gradients amplify their rounding), log-probs after it
# ≤ 3e-6. Tolerances: ATOL absolute for weights, log-probs and values; RTOL relative for metrics.
ATOL = 1e-5
RTOL = 1e-5
# Gradient norms: the one-process path accumulates them in float32 (per-tensor norms; observed
# 7e-6 relative from the float64 norm on the tiny model's 188,800 weights), the sharded one in
# float64 from each rank's slices.
RTOL_GRAD_NORM = 5e-5


def _close(a: float, b: float, rtol: float = RTOL) -> bool:
    return abs(a - b) <= rtol * max(1.0, abs(a))


def _max_diff(a: Any, b: Any) -> float:
    ta, tb = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    assert ta.shape == tb.shape
    return float((ta - tb).abs().max()) if ta.numel() else 0.0


def _ragged_diff(a: list[list[float]], b: list[list[float]]) -> float:
    assert [len(r) for r in a] == [len(r) for r in b]
    return max(_max_diff(x, y) for x, y in zip(a, b))


def _state_diff(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> float:
    assert sorted(a) == sorted(b)
    return max(_max_diff(a[k], b[k]) for k in a)


def test_shard_range() -> None:
    assert [shard_range(5, r, 2) for r in range(2)] == [(0, 3), (3, 5)]
    assert [shard_range(1, r, 2) for r in range(2)] == [(0, 1), (1, 1)]
    assert [shard_range(7, r, 3) for r in range(3)] == [(0, 3), (3, 5), (5, 7)]
    with pytest.raises(ValueError, match="rank 2 outside a world of 2"):
        shard_range(4, 2, 2)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every scenario in one process (here) and on 2 ranks (one torchrun), once per module."""
    one_dir, two_dir = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # what each rank uses
    try:
        one = sc.run_all(one_dir, None)
    finally:
        torch.set_num_threads(threads)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", str(Path(sc.__file__)), str(two_dir), str(one_dir / "ckpt-full")]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    two = torch.load(two_dir / "results.pt", weights_only=False)
    yield {"one": one, "two": two, "one_dir": one_dir, "two_dir": two_dir}


@pytest.mark.parametrize("name", list(sc.SCENARIOS))
def test_two_ranks_train_like_one_process(runs: dict[str, Any], name: str) -> None:
    one, two = runs["one"][name], runs["two"][name]
    for call in ("fb", "fb1"):
        assert set(one[call]) == set(two[call])
        for k in one[call]:
            if not k.startswith("perf/"):
                assert _close(one[call][k], two[call][k], RTOL_GRAD_NORM if k.startswith("grad_norm") else RTOL), (call, k, one[call][k], two[call][k])
    assert _close(one["step"]["grad_norm"], two["step"]["grad_norm"], RTOL_GRAD_NORM)
    assert one["step"]["step"] == two["step"]["step"] == 1.0
    moved = _state_diff(one["state"], {k: v.clone().zero_() for k, v in one["state"].items()})
    assert moved > 0
    assert _state_diff(one["state"], two["state"]) <= ATOL
    assert _ragged_diff(one["forward"]["logprobs"], two["forward"]["logprobs"]) <= ATOL
    if one["forward"]["values"] is not None:
        assert _ragged_diff(one["forward"]["values"], two["forward"]["values"]) <= ATOL
    assert one["sample"] == two["sample"]


@pytest.mark.parametrize("name", list(sc.SCENARIOS))
def test_checkpoint_saved_by_two_ranks_loads_in_one_process(runs: dict[str, Any], name: str) -> None:
    body = dict(sc.SCENARIOS[name][0])
    for k in ("model", "lora", "reference", "gradient_checkpointing"):
        body.pop(k, None)
    ckpt = runs["two_dir"] / f"ckpt-{name}"
    s = Session("reloaded", CreateSession.model_validate({**body, "model": {"checkpoint": str(ckpt)}}))
    out = s.forward(ForwardReq.model_validate({"data": sc.data("cross_entropy"), "values": s.critic is not None}))
    assert _ragged_diff(out["logprobs"], runs["two"][name]["forward"]["logprobs"]) <= ATOL
    if s.critic is not None:
        assert _ragged_diff(out["values"], runs["two"][name]["forward"]["values"]) <= ATOL
    # The same files as a one-process save.
    files = sorted(p.relative_to(ckpt).as_posix() for p in ckpt.rglob("*"))
    assert files == sorted(p.relative_to(runs["one_dir"] / f"ckpt-{name}").as_posix() for p in (runs["one_dir"] / f"ckpt-{name}").rglob("*"))


def test_optimizer_state_crosses_world_sizes(runs: dict[str, Any]) -> None:
    # Reference: one process loads its own checkpoint and trains one step.
    ref = sc.load_and_step(Commands(), str(runs["one_dir"] / "ckpt-full"))
    two_to_one = sc.load_and_step(Commands(), str(runs["two_dir"] / "ckpt-full"))
    one_to_two = runs["two"]["loaded"]
    for got in (two_to_one, one_to_two):
        assert _ragged_diff(got["forward"]["logprobs"], ref["forward"]["logprobs"]) <= ATOL
        assert _close(got["step"]["grad_norm"], ref["step"]["grad_norm"], RTOL_GRAD_NORM)
        assert got["fresh_sample"] == ref["fresh_sample"]
        assert got["step"]["step"] == ref["step"]["step"] == 2.0
        assert _state_diff(got["state"], ref["state"]) <= ATOL


def test_gradient_checkpointing_same_loss_and_gradients(make_session: Callable[..., Session]) -> None:
    from trainer.schemas import ForwardBackwardReq

    req = ForwardBackwardReq.model_validate({"data": sc.data("ppo"), "loss": {"kind": "ppo", "value_coef": 0.5}})
    runs = []
    for gc in (False, True):
        s = make_session(critic="shared", gradient_checkpointing=gc)
        m = s.forward_backward(req)
        runs.append((m, [p.grad.clone() for p in s.trainable() if p.grad is not None]))
    (m0, g0), (m1, g1) = runs
    assert abs(m0["loss/total"] - m1["loss/total"]) <= 1e-6
    assert len(g0) == len(g1) > 0
    assert max(float((a - b).abs().max()) for a, b in zip(g0, g1)) <= 1e-6


# ---- the HTTP service on 2 ranks ------------------------------------------------------------

TOKEN = "dist-test-token-0123456789"


def _post(port: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/{path}", data=json.dumps(body).encode(), headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        out: dict[str, Any] = json.loads(r.read())
        return out


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_http_service_on_two_ranks(make_session: Callable[..., Session]) -> None:
    env = {**os.environ, "TARL_TRAINER_TOKEN": TOKEN, "TARL_TRAINER_PARENT_PID": str(os.getpid()), "PYTHONPATH": str(ROOT)}
    launcher = subprocess.Popen([sys.executable, "-m", "trainer", "--port", "0", "--threads", "1", "--nproc", "2"], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert launcher.stdout is not None
        line = json.loads(launcher.stdout.readline())
        port, rank0 = int(line["port"]), int(line["pid"])
        ranks = _children(launcher.pid)
        assert rank0 in ranks and len(ranks) == 2
        sid = _post(port, "sessions", {"model": {"preset": "tiny"}})["session_id"]
        fb = _post(port, f"sessions/{sid}/forward_backward", {"data": sc.data("cross_entropy")})["metrics"]
        step = _post(port, f"sessions/{sid}/optim_step", {})["metrics"]
        bad = urllib.request.Request(f"http://127.0.0.1:{port}/v1/sessions/{sid}/forward", data=json.dumps({"data": [{"input_ids": [1, 5000], "target_ids": [2, 3]}]}).encode(), headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(bad, timeout=300)
        assert err.value.code == 400 and "data[0].input_ids has token id 5000" in err.value.read().decode()
        # One process, same request.
        s = make_session()
        from trainer.schemas import ForwardBackwardReq

        ref = s.forward_backward(ForwardBackwardReq.model_validate({"data": sc.data("cross_entropy")}))
        assert _close(fb["loss/total"], ref["loss/total"])
        assert _close(step["grad_norm"], s.optim_step(None)["grad_norm"], RTOL_GRAD_NORM)
        # Rank 0 dies: torchrun ends the other rank and exits with an error naming the failure.
        os.kill(rank0, signal.SIGKILL)
        launcher.wait(timeout=60)
        assert launcher.returncode != 0
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in ranks) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(p) for p in ranks)
        assert launcher.stderr is not None
        # torchrun's failure summary names the killed rank's exit code (-9: SIGKILL).
        assert re.search(r"exitcode\s*:\s*-9", launcher.stderr.read())
    finally:
        if launcher.poll() is None:
            launcher.kill()
