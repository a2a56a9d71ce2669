"""forward_backward throughput on the tiny preset for `npm run bench:trainer`, no HTTP.

    python -m trainer.bench_fb --threads 2 --rounds 7
prints one JSON line: {"workloads": [{"name", "tokens", "variants": {name: {"best", "median"}}}]}
(tokens per second). Workloads:
    mixed   8 sequences of 300–900 tokens (seeded), nothing shared
    shared  16 sequences: one 400-token prefix + 200-token suffixes (an RL group)
Variants (all data in one forward_backward call unless said otherwise):
    padded+mask       the path before 2026-12-01, replayed in plain PyTorch: every datum right-padded
                      into one [B, L] model call with an attention mask (SDPA's masked path)
    no mask           Session, one model call over the right-padded batch, no attention mask
    per sequence      Session, one model call per datum (chunk_tokens = 1), one backward
    length chunks     Session, rows sorted by length, ≤ 4096 padded tokens per model call
    chunks + prefix   Session as configured by default on a CPU: length chunks, and a common
                      leading prefix run once with its K/V expanded over the rows
    one per call      Session.forward_backward once per datum (the reference the others must equal)
The Session variants set its internal `chunk_tokens` / `share_prefix`. Every variant computes the
same loss (cross-entropy, all weights 1, token mean over the call).
Timings alternate between variants each round; "best" is the fastest round, which on a shared
machine is the least disturbed by other processes, and "median" the middle one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import torch

from .schemas import CreateSession, ForwardBackwardReq, ForwardDatum, PresetModel
from .session import CPU_CHUNK_TOKENS, Session


def workloads(vocab: int) -> dict[str, list[list[int]]]:
    g = torch.Generator().manual_seed(0)

    def rand(n: int) -> list[int]:
        return [int(x) for x in torch.randint(5, vocab, (n,), generator=g)]

    mixed = [rand(int(n)) for n in torch.randint(300, 901, (8,), generator=g)]
    prefix = rand(400)
    shared = [prefix + rand(200) for _ in range(16)]
    return {"mixed 8 × 300–900": mixed, "shared 16 × (400 + 200)": shared}


def padded_with_mask(s: Session, seqs: list[list[int]]) -> None:
    ids = torch.full((len(seqs), max(map(len, seqs))), s.pad_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, q in enumerate(seqs):
        ids[i, : len(q)] = torch.tensor(q)
        mask[i, : len(q)] = 1
    logits = s.policy(input_ids=ids[:, :-1], attention_mask=mask[:, :-1]).logits.float()
    logp = torch.log_softmax(logits, -1).gather(-1, ids[:, 1:, None]).squeeze(-1)
    w = mask[:, 1:].float()
    loss = -torch.where(w > 0, logp * w, torch.zeros_like(logp)).sum() / w.sum()
    loss.backward()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    s = Session("bench", CreateSession(model=PresetModel(preset="tiny")))
    s.policy.train()
    out = []
    for name, seqs in workloads(s.vocab).items():
        data = [ForwardDatum(input_ids=q[:-1], target_ids=q[1:]) for q in seqs]
        def session(chunk_tokens: int | None, share_prefix: bool, data: list[ForwardDatum] = data) -> Callable[[], object]:
            def call() -> object:
                s.chunk_tokens, s.share_prefix = chunk_tokens, share_prefix
                return s.forward_backward(ForwardBackwardReq(data=data))

            return call

        variants: dict[str, Callable[[], object]] = {
            "padded+mask": lambda: padded_with_mask(s, seqs),
            "no mask": session(None, False),
            "per sequence": session(1, False),
            "length chunks": session(CPU_CHUNK_TOKENS, False),
            "chunks + prefix": session(CPU_CHUNK_TOKENS, True),
            "one per call": lambda: [session(CPU_CHUNK_TOKENS, True, [d])() for d in data],
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        for r in range(a.rounds + 1):
            for k, fn in variants.items():
                t0 = time.perf_counter()
                fn()
                dt = time.perf_counter() - t0
                s.optimizer.zero_grad(set_to_none=True)
                if r > 0:  # round 0 warms up
                    times[k].append(dt)
        tokens = sum(len(d.input_ids) for d in data)
        stats = {k: {"best": tokens / min(v), "median": tokens / statistics.median(v)} for k, v in times.items()}
        out.append({"name": name, "tokens": tokens, "variants": stats})
    print(json.dumps({"workloads": out}))


if __name__ == "__main__":
    main()
