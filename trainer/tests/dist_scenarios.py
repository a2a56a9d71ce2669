"""Training scenarios run the same way by one process and by N ranks (tests/test_distributed.py).

`run_all(out, one_proc_ckpt)` executes every scenario through `Commands` (the path HTTP requests
take) and, on rank 0, writes what the test compares to `out/results.pt`: metrics, the full
updated weights, log-probs after the step, greedy samples, and checkpoints saved by this world
size. Run under torchrun it is the N-rank side: `python -m torch.distributed.run --standalone
--nproc-per-node 2 trainer/tests/dist_scenarios.py OUT ONE_PROC_CKPT`.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from pathlib import Path
from typing import Any

import torch

from trainer import distributed, fsdp
from trainer.commands import Command, Commands
from trainer.schemas import CreateSession, ForwardBackwardReq, ForwardReq, LoadReq, OptimStepReq, SampleReq, SaveReq

# Five sequences of different lengths, some tokens masked: rank 0 of 2 takes three, rank 1 two.
IDS = [list(range(3 + 7 * i, 3 + 7 * i + n)) for i, n in enumerate([12, 7, 19, 5, 9])]


def data(kind: str) -> list[dict[str, Any]]:
    out = []
    for i, ids in enumerate(IDS):
        n = len(ids)
        d: dict[str, Any] = {"input_ids": ids, "target_ids": ids[1:] + [ids[0]], "weights": [0.0] * (n // 3) + [1.0] * (n - n // 3)}
        if kind != "cross_entropy":
            d["advantages"] = [(-1.0) ** i * 0.5] * n
            d["old_logprobs"] = [-6.9 + 0.01 * j for j in range(n)]
            d["returns"] = [0.1 * i] * n
            d["old_values"] = [0.0] * n
        out.append(d)
    return out


# name → (create-session body, loss). AdamW's first step moves every weight with a gradient by
# about lr (1e-4), ten times the tolerance of the comparison.
SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "full": ({"model": {"preset": "tiny"}, "optimizer": {"lr": 1e-4}}, {"kind": "cross_entropy"}),
    "lora_ppo_kl": (
        {"model": {"preset": "tiny"}, "lora": {"rank": 4}, "reference": "initial", "optimizer": {"lr": 1e-4}},
        {"kind": "ppo", "kl_coef": 0.1},
    ),
    "critic_gc": (
        {"model": {"preset": "tiny"}, "critic": "separate", "gradient_checkpointing": True, "optimizer": {"lr": 1e-4, "grad_clip": 0.5}},
        {"kind": "ppo", "value_coef": 0.5, "entropy_coef": 0.01},
    ),
}


def scenario(cmds: Commands, name: str, out: Path) -> dict[str, Any]:
    body, loss = SCENARIOS[name]
    cmds.run(Command("create", name, CreateSession.model_validate(body)))
    s = cmds.sessions[name]
    fb = cmds.run(Command("forward_backward", name, ForwardBackwardReq.model_validate({"data": data(loss["kind"]), "loss": loss})))
    # A second call of one sequence: with 2 ranks, rank 1 gets none and runs a zero-weight stand-in.
    fb1 = cmds.run(Command("forward_backward", name, ForwardBackwardReq.model_validate({"data": data(loss["kind"])[3:4], "loss": loss})))
    step = cmds.run(Command("optim_step", name, OptimStepReq()))
    fwd = cmds.run(Command("forward", name, ForwardReq.model_validate({"data": data("cross_entropy"), "values": s.critic is not None})))
    smp = cmds.run(Command("sample", name, SampleReq(prompts=[IDS[0], IDS[3]], n=2, max_tokens=6, temperature=0.0)))
    cmds.run(Command("save", name, SaveReq(path=str(out / f"ckpt-{name}"))))
    state = fsdp.full_state(s.policy) if s.sharded else {k: v.detach().clone() for k, v in s.policy.state_dict().items()}
    return {"fb": fb, "fb1": fb1, "step": step, "forward": fwd, "sample": [[c["ids"] for c in g] for g in smp["samples"]], "state": state}


def load_and_step(cmds: Commands, ckpt: str) -> dict[str, Any]:
    """Loads a checkpoint (weights and optimizer state) saved by the other world size, then trains one step."""
    cmds.run(Command("create", "loaded", CreateSession.model_validate(SCENARIOS["full"][0])))
    s = cmds.sessions["loaded"]
    # Sampling first thing on a fresh session (what the chat facade does with `trained:` models).
    fresh = cmds.run(Command("sample", "loaded", SampleReq(prompts=[IDS[1]], n=2, max_tokens=4, seed=7)))
    cmds.run(Command("load", "loaded", LoadReq(path=ckpt)))
    fwd = cmds.run(Command("forward", "loaded", ForwardReq.model_validate({"data": data("cross_entropy")})))
    cmds.run(Command("forward_backward", "loaded", ForwardBackwardReq.model_validate({"data": data("cross_entropy")})))
    step = cmds.run(Command("optim_step", "loaded", OptimStepReq()))
    state = fsdp.full_state(s.policy) if s.sharded else {k: v.detach().clone() for k, v in s.policy.state_dict().items()}
    return {"forward": fwd, "step": step, "state": state, "fresh_sample": [[c["ids"] for c in g] for g in fresh["samples"]]}


def run_all(out: Path, other_ckpt: str | None) -> dict[str, Any]:
    cmds = Commands()
    results: dict[str, Any] = {name: scenario(cmds, name, out) for name in SCENARIOS}
    if other_ckpt is not None:
        results["loaded"] = load_and_step(cmds, other_ckpt)
    return results


if __name__ == "__main__":
    # A hang (ranks waiting on different collectives) prints every thread's stack and fails the run.
    faulthandler.dump_traceback_later(float(os.environ.get("TARL_DIST_TEST_TIMEOUT", "240")), exit=True)
    torch.set_num_threads(1)
    distributed.init(timeout_s=60)
    res = run_all(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
    if distributed.rank() == 0:
        torch.save(res, Path(sys.argv[1]) / "results.pt")
