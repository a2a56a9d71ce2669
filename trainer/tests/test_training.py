"""Masks, training progress (full and LoRA), critics, KL reference, save/load round trips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from trainer import checkpoint
from trainer.schemas import ForwardBackwardReq, ForwardDatum, ForwardReq, LossIn
from trainer.session import Session

SEQ = [1, 303, 203, 566, 374, 348, 347, 59, 806, 639, 600, 2, 203, 1, 297, 203, 40, 41, 42, 2]


def _datum(weights: list[float] | None = None, **kw: list[float]) -> ForwardDatum:
    return ForwardDatum(input_ids=SEQ[:-1], target_ids=SEQ[1:], weights=weights, **kw)


def _grads(s: Session) -> list[torch.Tensor]:
    return [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in s.trainable()]


@pytest.mark.parametrize("kind", ["cross_entropy", "ppo"])
def test_masked_tokens_get_zero_gradient(make_session: Callable[..., Session], kind: str) -> None:
    s = make_session(critic="shared")
    n = len(SEQ) - 1
    w = [0.0] * 10 + [1.0] * (n - 10)
    extra = {"advantages": [0.5] * n, "old_logprobs": [-7.0] * n, "returns": [1.0] * n, "old_values": [0.0] * n}
    loss = LossIn(kind=kind, value_coef=0.5 if kind == "ppo" else 0.0)
    s.forward_backward(ForwardBackwardReq(data=[_datum(w, **extra)], loss=loss))
    before = _grads(s)
    s.optimizer.zero_grad(set_to_none=True)
    # Perturb everything at masked positions: targets, advantages, old log-probs, returns.
    d = _datum(w, **extra)
    for i in range(10):
        d.target_ids[i] = (d.target_ids[i] + 17) % s.vocab
        d.advantages[i], d.old_logprobs[i], d.returns[i] = 100.0, 5.0, -50.0  # type: ignore[index]
    s.forward_backward(ForwardBackwardReq(data=[d], loss=loss))
    after = _grads(s)
    assert all(torch.equal(a, b) for a, b in zip(before, after))


def test_ppo_metric_matches_hand_computation(make_session: Callable[..., Session]) -> None:
    s = make_session()
    n = len(SEQ) - 1
    lp = torch.tensor(s.forward(ForwardReq(data=[_datum()]))["logprobs"][0])
    old = lp + torch.log(torch.tensor([1.5 if i % 2 else 0.5 for i in range(n)]))  # r = 2/3 or 2
    adv = torch.tensor([1.0 if i % 3 else -1.0 for i in range(n)])
    w = torch.tensor([0.0] * 4 + [1.0] * (n - 4))
    m = s.forward_backward(ForwardBackwardReq(
        data=[_datum(w.tolist(), advantages=adv.tolist(), old_logprobs=old.tolist())], loss=LossIn(kind="ppo")
    ))
    r = torch.exp(lp - old)
    per = torch.maximum(-r * adv, -r.clamp(0.8, 1.2) * adv)
    assert m["loss/policy"] == pytest.approx(float((per * w).sum() / w.sum()), abs=1e-5)
    assert m["ppo/clip_frac"] == pytest.approx(float(((-r.clamp(0.8, 1.2) * adv > -r * adv).float() * w).sum() / w.sum()), abs=1e-6)


def _sft(s: Session, steps: int) -> tuple[float, float]:
    first = last = 0.0
    for i in range(steps):
        m = s.forward_backward(ForwardBackwardReq(data=[_datum()]))
        s.optim_step(None)
        first = m["loss/total"] if i == 0 else first
        last = m["loss/total"]
    return first, last


@pytest.mark.parametrize("lora", [None, {"rank": 8, "alpha": 16}])
def test_full_and_lora_both_train(make_session: Callable[..., Session], lora: dict[str, float] | None) -> None:
    s = make_session(lora=lora, optimizer={"lr": 1e-2})
    first, last = _sft(s, 15)
    assert last < 0.25 * first


def test_kl_to_reference_is_zero_at_start_and_grows(make_session: Callable[..., Session]) -> None:
    for lora in (None, {"rank": 4}):
        s = make_session(lora=lora, reference="initial", optimizer={"lr": 1e-2})
        loss = LossIn(kind="cross_entropy", kl_coef=0.1)
        m0 = s.forward_backward(ForwardBackwardReq(data=[_datum()], loss=loss))
        assert m0["kl/ref_k3"] == pytest.approx(0.0, abs=1e-7)
        s.optim_step(None)
        _sft(s, 3)
        assert s.forward_backward(ForwardBackwardReq(data=[_datum()], loss=loss))["kl/ref_k3"] > 1e-4


@pytest.mark.parametrize("critic", ["shared", "separate"])
def test_critic_learns_returns(make_session: Callable[..., Session], critic: str) -> None:
    s = make_session(critic=critic, optimizer={"lr": 5e-2})
    n = len(SEQ) - 1
    d = _datum(returns=[1.0] * n, old_values=[0.0] * n, advantages=[0.0] * n, old_logprobs=[0.0] * n)
    loss = LossIn(kind="importance_sampling", value_coef=1.0)
    first = s.forward_backward(ForwardBackwardReq(data=[d], loss=loss))["loss/value"]
    for _ in range(20):
        s.optim_step(None)
        last = s.forward_backward(ForwardBackwardReq(data=[d], loss=loss))["loss/value"]
    assert first == pytest.approx(0.5) and last < 0.1


@pytest.mark.parametrize("lora", [None, {"rank": 4}])
def test_save_load_round_trip(make_session: Callable[..., Session], tmp_path: Path, lora: dict[str, float] | None) -> None:
    a = make_session(lora=lora, critic="shared", optimizer={"lr": 1e-2})
    _sft(a, 3)
    checkpoint.save(a, str(tmp_path / "ck"), with_optimizer=True)
    # Full: a differently seeded model. LoRA: the same base (adapters belong to it), other weights.
    b = make_session(lora=lora, critic="shared", seed=0 if lora else 99, optimizer={"lr": 1e-2})
    _sft(b, 1)
    assert a.forward(ForwardReq(data=[_datum()]))["logprobs"] != b.forward(ForwardReq(data=[_datum()]))["logprobs"]
    checkpoint.load(b, str(tmp_path / "ck"), with_optimizer=True)
    req = ForwardReq(data=[_datum()], values=True)
    assert a.forward(req)["logprobs"] == b.forward(req)["logprobs"]
    assert a.forward(req)["values"] == b.forward(req)["values"]
    _sft(a, 2)  # optimizer state restored: the next steps agree exactly too
    _sft(b, 2)
    assert a.forward(req)["logprobs"] == b.forward(req)["logprobs"] and b.step == 5
    # A fresh session built from the checkpoint serves identical outputs as well.
    checkpoint.save(a, str(tmp_path / "ck"), with_optimizer=False)
    c = make_session(model={"checkpoint": str(tmp_path / "ck")}, critic="shared")
    assert c.forward(req)["logprobs"] == a.forward(req)["logprobs"]


def test_lora_checkpoint_refuses_another_base(make_session: Callable[..., Session], tmp_path: Path) -> None:
    checkpoint.save(make_session(lora={"rank": 4}), str(tmp_path / "ck"), with_optimizer=False)
    with pytest.raises(ValueError, match="base"):
        checkpoint.load(make_session(lora={"rank": 4}, seed=5), str(tmp_path / "ck"), with_optimizer=False)


def test_lora_adapter_export_is_peft_format(make_session: Callable[..., Session], tmp_path: Path) -> None:
    s = make_session(lora={"rank": 4})
    checkpoint.export_adapter(s, str(tmp_path / "ad"))
    assert (tmp_path / "ad" / "adapter_config.json").exists()
    assert (tmp_path / "ad" / "adapter_model.safetensors").exists()
