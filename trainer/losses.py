"""Per-token losses. Every function takes [B, L] tensors and returns per-token terms; the caller
applies the weights (0 on masked tokens) and the normalisation.

Sign convention: a term is minimised. Advantages A, ratio r = exp(logp - old_logp).
- cross_entropy:        -logp
- importance_sampling:  -r * A                (off-policy REINFORCE; no clipping)
- ppo:                  max(-r*A, -clip(r, 1-eps_low, 1+eps_high)*A); with dual clip c > 1 and
                        A < 0 the result is further capped at -c*A (Ye et al. 2020).
- value:                0.5 * max((V-R)^2, (V_clip-R)^2), V_clip = V_old + clip(V-V_old, ±eps_v)
- kl (to the reference, per sampled token; d = logp_ref - logp):
        k1 = -d,  k2 = d^2 / 2,  k3 = exp(d) - d - 1   (Schulman's unbiased, non-negative k3)
"""

from __future__ import annotations

import torch


def cross_entropy(logp: torch.Tensor) -> torch.Tensor:
    return -logp


def importance_sampling(logp: torch.Tensor, old_logp: torch.Tensor, adv: torch.Tensor) -> torch.Tensor:
    return -torch.exp(logp - old_logp) * adv


def ppo_clip(
    logp: torch.Tensor,
    old_logp: torch.Tensor,
    adv: torch.Tensor,
    clip_low: float,
    clip_high: float,
    dual_clip: float | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Returns (loss per token, clipped mask, dual-clipped mask)."""
    ratio = torch.exp(logp - old_logp)
    unclipped = -ratio * adv
    clipped = -torch.clamp(ratio, 1 - clip_low, 1 + clip_high) * adv
    loss = torch.maximum(unclipped, clipped)
    was_clipped = (clipped > unclipped).float()
    dual = torch.zeros_like(loss)
    if dual_clip is not None:
        cap = -dual_clip * adv
        dual = ((adv < 0) & (loss > cap)).float()
        loss = torch.where(adv < 0, torch.minimum(loss, cap), loss)
    return loss, was_clipped, dual


def value_loss(
    values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor, clip: float | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Returns (loss per token, clipped mask)."""
    unclipped = (values - returns) ** 2
    if clip is None:
        return 0.5 * unclipped, torch.zeros_like(values)
    v_clip = old_values + torch.clamp(values - old_values, -clip, clip)
    clipped = (v_clip - returns) ** 2
    return 0.5 * torch.maximum(unclipped, clipped), (clipped > unclipped).float()


def kl_estimate(logp: torch.Tensor, ref_logp: torch.Tensor, estimator: str) -> torch.Tensor:
    d = ref_logp - logp
    if estimator == "k1":
        return -d
    if estimator == "k2":
        return 0.5 * d**2
    if estimator == "k3":
        return torch.exp(d) - d - 1
    raise ValueError(f"unknown KL estimator {estimator!r}")


def entropy_from_logits(logits: torch.Tensor) -> torch.Tensor:
    logp = torch.log_softmax(logits.float(), dim=-1)
    return -(logp.exp() * logp).sum(-1)


def weighted_sum(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    # where(), not x*w: a masked token with a non-finite term must contribute exactly zero
    return torch.where(w > 0, x * w, torch.zeros_like(x)).sum()
