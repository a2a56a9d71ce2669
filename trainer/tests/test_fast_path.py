"""forward/forward_backward over many data in one call (no attention mask, length chunks, shared
prefix) equal one datum per call: loss and every parameter gradient within TOL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

from trainer.batch import MIN_SHARED_PREFIX, plan
from trainer.schemas import ForwardBackwardReq, ForwardDatum, ForwardReq, LossIn
from trainer.session import Session

# Gradients are compared at token-mean scale (divided by the call's weight sum), absolute.
# float32 on CPU; the observed differences are ~1e-7 against gradients ~0.1 (summation order).
TOL = 1e-5


def _data(lengths: list[int], prefix: int, seed: int) -> list[ForwardDatum]:
    """Sequences sharing `prefix` leading ids; the first third of each is masked, the rest carries
    PPO and value targets."""
    g = torch.Generator().manual_seed(seed)
    head = torch.randint(5, 1000, (prefix,), generator=g).tolist()
    out = []
    for n in lengths:
        seq = head + torch.randint(5, 1000, (n - prefix + 1,), generator=g).tolist()
        k = len(seq) - 1
        w = [0.0] * (k // 3) + [1.0] * (k - k // 3)
        r = torch.rand(4, k, generator=g)
        out.append(ForwardDatum(
            input_ids=seq[:-1], target_ids=seq[1:], weights=w, advantages=(r[0] * 2 - 1).tolist(),
            old_logprobs=(-7 + r[1]).tolist(), returns=r[2].tolist(), old_values=(r[3] * 0.1).tolist(),
        ))
    return out


MIXED = _data([23, 90, 41, 67, 12], prefix=0, seed=1)
SHARED = _data([52, 70, 45, 88, 61, 47], prefix=40, seed=2)
CONFIGS: dict[str, dict[str, Any]] = {
    "full": {},
    "critic shared": {"critic": "shared"},
    "critic separate": {"critic": "separate"},
    "lora": {"lora": {"rank": 4}, "reference": "initial"},
}


def _loss(session_kw: dict[str, Any], normalize: str) -> LossIn:
    critic = "critic" in session_kw
    kl = "reference" in session_kw
    return LossIn(kind="ppo", value_coef=0.5 if critic else 0.0, kl_coef=0.1 if kl else 0.0, entropy_coef=0.01, normalize=normalize)  # type: ignore[arg-type]


def _grads(s: Session) -> list[torch.Tensor]:
    out = [p.grad.clone() if p.grad is not None else torch.zeros_like(p) for p in s.trainable()]
    s.optimizer.zero_grad(set_to_none=True)
    return out


def test_plan_shares_the_prefix_and_chunks_by_length(make_session: Callable[..., Session]) -> None:
    s = make_session()
    b = s._collate(ForwardReq(data=SHARED))
    p = plan(b, chunk_tokens=64)
    assert p.prefix == 40 >= MIN_SHARED_PREFIX
    # Suffixes of rows 3, 1, 4, 0, 5, 2: 48, 30, 21, 12, 7, 5 tokens; a call holds ≤ 64 padded
    # tokens: [48], [30 21] (2 × 30), [12 7 5] (3 × 12).
    assert p.chunks == [[3], [1, 4], [0, 5, 2]]
    assert plan(s._collate(ForwardReq(data=MIXED)), None) == type(p)(0, [[1, 3, 2, 0, 4]])


@pytest.mark.parametrize("data", [MIXED, SHARED], ids=["mixed", "shared-prefix"])
@pytest.mark.parametrize("config", list(CONFIGS))
def test_one_call_equals_one_datum_per_call(make_session: Callable[..., Session], config: str, data: list[ForwardDatum]) -> None:
    kw = CONFIGS[config]
    s = make_session(**kw)
    if "critic" in kw:  # a zero value head gives the critic body no gradient: move it off zero
        with torch.no_grad():
            for p in s.critic.parameters():  # type: ignore[union-attr]
                p.add_(0.01 * torch.randn(p.shape, generator=torch.Generator().manual_seed(0)))
    s.chunk_tokens = 64  # several calls per batch on top of the shared prefix
    total_w = sum(sum(d.weights or []) for d in data)
    m = s.forward_backward(ForwardBackwardReq(data=data, loss=_loss(kw, "token_mean")))
    fast = _grads(s)
    ref_loss = 0.0
    for d in data:
        ref_loss += s.forward_backward(ForwardBackwardReq(data=[d], loss=_loss(kw, "sum")))["loss/total"] / total_w
    ref = [g / total_w for g in _grads(s)]
    assert m["loss/total"] == pytest.approx(ref_loss, abs=TOL)
    assert any(float(g.abs().max()) > 1e-3 for g in ref)  # the comparison is not between zeros
    for (name, _), a, b in zip([(n, p) for n, p in _named_trainable(s)], fast, ref):
        assert float((a - b).abs().max()) <= TOL, name
    # forward agrees per token as well (log-probs, values)
    req = ForwardReq(data=data, values="critic" in kw)
    one = s.forward(req)
    for i, d in enumerate(data):
        alone = s.forward(ForwardReq(data=[d], values="critic" in kw))
        assert one["logprobs"][i] == pytest.approx(alone["logprobs"][0], abs=TOL)
        if "critic" in kw:
            assert one["values"][i] == pytest.approx(alone["values"][0], abs=TOL)


def _named_trainable(s: Session) -> list[tuple[str, torch.nn.Parameter]]:
    named = [(f"policy.{n}", p) for n, p in s.policy.named_parameters() if p.requires_grad]
    if s.critic is not None:
        named += [(f"critic.{n}", p) for n, p in s.critic.named_parameters()]
    return named


@pytest.mark.parametrize("config", ["full", "critic separate", "lora"])
def test_masked_tokens_get_exactly_zero_gradient_on_the_fast_path(make_session: Callable[..., Session], config: str) -> None:
    kw = CONFIGS[config]
    s = make_session(**kw)
    s.chunk_tokens = 64
    loss = _loss(kw, "token_mean")
    s.forward_backward(ForwardBackwardReq(data=SHARED, loss=loss))
    before = _grads(s)
    perturbed = []
    for d in SHARED:
        e = d.model_copy(deep=True)
        for i, w in enumerate(e.weights or []):
            if w == 0:  # masked: inside the shared prefix and just past it
                e.target_ids[i] = (e.target_ids[i] + 17) % s.vocab
                e.advantages[i], e.old_logprobs[i], e.returns[i] = 100.0, 5.0, -50.0  # type: ignore[index]
        perturbed.append(e)
    s.forward_backward(ForwardBackwardReq(data=perturbed, loss=loss))
    after = _grads(s)
    assert all(torch.equal(a, b) for a, b in zip(before, after))
