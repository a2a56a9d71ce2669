"""Each loss against values computed by hand."""

from __future__ import annotations

import math

import pytest
import torch

from trainer import losses

t = torch.tensor


def _logs(ratios: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
    old = torch.full((len(ratios),), -1.0)
    return old + torch.log(t(ratios)), old


def test_ppo_clips_on_both_sides() -> None:
    # (A, r): (+1, 1.5) clipped high → -1.2; (-1, 0.5) clipped low → 0.8;
    # (+1, 0.5) unclipped → -0.5; (-1, 1.5) unclipped → 1.5; (+1, 1.1) inside → -1.1
    logp, old = _logs([1.5, 0.5, 0.5, 1.5, 1.1])
    adv = t([1.0, -1.0, 1.0, -1.0, 1.0])
    loss, clipped, dual = losses.ppo_clip(logp, old, adv, 0.2, 0.2)
    assert loss.tolist() == pytest.approx([-1.2, 0.8, -0.5, 1.5, -1.1], abs=1e-6)
    assert clipped.tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert dual.tolist() == [0.0] * 5


def test_ppo_asymmetric_clip() -> None:
    logp, old = _logs([1.5, 0.5])
    loss, _, _ = losses.ppo_clip(logp, old, t([1.0, -1.0]), clip_low=0.1, clip_high=0.28)
    assert loss.tolist() == pytest.approx([-1.28, 0.9], abs=1e-6)


def test_dual_clip_caps_negative_advantages_only() -> None:
    # c = 3. (A=-1, r=4): PPO gives 4, capped at 3. (A=-2, r=1.5): 3 < cap 6, unchanged.
    # (A=+1, r=4): dual clip does not apply → -1.2.
    logp, old = _logs([4.0, 1.5, 4.0])
    loss, _, dual = losses.ppo_clip(logp, old, t([-1.0, -2.0, 1.0]), 0.2, 0.2, dual_clip=3.0)
    assert loss.tolist() == pytest.approx([3.0, 3.0, -1.2], abs=1e-6)
    assert dual.tolist() == [1.0, 0.0, 0.0]


def test_importance_sampling_and_cross_entropy() -> None:
    logp, old = _logs([2.0, 0.5])
    assert losses.importance_sampling(logp, old, t([0.5, -2.0])).tolist() == pytest.approx([-1.0, 1.0], abs=1e-6)
    assert losses.cross_entropy(t([-0.25])).tolist() == [0.25]


def test_value_loss_clipped_and_unclipped() -> None:
    v, old = t([2.0, 2.0, 1.2]), t([1.0, 1.0, 1.0])
    ret = t([3.0, 0.0, 3.0])
    loss, clipped = losses.value_loss(v, old, ret, clip=0.5)
    # V_clip = 1.5, 1.5, 1.2 → max((V-R)^2, (V_clip-R)^2)/2 = max(1, 2.25)/2, max(4, 2.25)/2, 3.24/2
    assert loss.tolist() == pytest.approx([1.125, 2.0, 1.62], abs=1e-6)
    assert clipped.tolist() == [1.0, 0.0, 0.0]
    plain, _ = losses.value_loss(v, old, ret, clip=None)
    assert plain.tolist() == pytest.approx([0.5, 2.0, 1.62], abs=1e-6)


def test_kl_estimators() -> None:
    logp, ref = t([math.log(0.5)]), t([math.log(0.25)])
    d = math.log(0.5)  # ref − logp
    assert losses.kl_estimate(logp, ref, "k1").item() == pytest.approx(-d, abs=1e-6)
    assert losses.kl_estimate(logp, ref, "k2").item() == pytest.approx(0.5 * d * d, abs=1e-6)
    assert losses.kl_estimate(logp, ref, "k3").item() == pytest.approx(0.5 - d - 1, abs=1e-6)
    assert losses.kl_estimate(ref, ref, "k3").item() == 0.0


def test_entropy_and_masked_sum() -> None:
    assert losses.entropy_from_logits(torch.zeros(1, 4)).item() == pytest.approx(math.log(4), abs=1e-6)
    x, w = t([1.0, float("inf"), 2.0]), t([1.0, 0.0, 0.5])
    assert losses.weighted_sum(x, w).item() == 2.0  # a masked non-finite term contributes 0
