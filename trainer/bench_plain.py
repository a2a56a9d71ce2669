"""The plain-PyTorch baseline for `npm run bench:trainer`: the same tiny model and shapes,
no HTTP, no service. forward+backward with cross-entropy; sampling with HF generate (KV cache).

    python -m trainer.bench_plain --batch 8 --seq 256 --steps 5 --prompt 32 --new 64 --threads 2
prints one JSON line: {"fb_tokens_per_s": …, "sample_tokens_per_s": …}

    python -m trainer.bench_plain --data step.json --steps 3 --threads 2
trains on an RL step's data as the service received it (a JSON list of data: input_ids,
target_ids, weights, advantages, old_logprobs): one padded batch, PPO-clip summed with the
weights, backward, AdamW — the plain loop a user would write; prints {"step_seconds", "tokens_per_s"}.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from .models import build_tiny


def train_on_data(path: str, steps: int, threads: int) -> None:
    torch.set_num_threads(threads)
    data = json.loads(open(path).read())
    model, _ = build_tiny(0)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    B, L = len(data), max(len(d["input_ids"]) for d in data)

    def pad(key: str, fill: float, dtype: torch.dtype) -> torch.Tensor:
        t = torch.full((B, L), fill, dtype=dtype)
        for i, d in enumerate(data):
            t[i, : len(d[key])] = torch.tensor(d[key], dtype=dtype)
        return t

    ids, tgt = pad("input_ids", 0, torch.long), pad("target_ids", 0, torch.long)
    w, adv, old = pad("weights", 0.0, torch.float32), pad("advantages", 0.0, torch.float32), pad("old_logprobs", 0.0, torch.float32)
    model.train()
    times = []
    for _ in range(steps + 1):
        t0 = time.perf_counter()
        logp = torch.log_softmax(model(input_ids=ids).logits.float(), -1).gather(-1, tgt[..., None]).squeeze(-1)
        ratio = torch.exp(logp - old)
        loss = torch.maximum(-ratio * adv, -torch.clamp(ratio, 0.8, 1.28) * adv)
        torch.where(w > 0, loss * w, torch.zeros_like(loss)).sum().backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - t0)
    step = min(times[1:])  # the first step warms up
    print(json.dumps({"step_seconds": step, "tokens_per_s": sum(len(d["input_ids"]) for d in data) / step}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    for name, default in (("batch", 8), ("seq", 256), ("steps", 5), ("prompt", 32), ("new", 64), ("threads", 2), ("sample_steps", 3)):
        ap.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    a = ap.parse_args()
    if a.data:
        train_on_data(a.data, a.steps, a.threads)
        return
    torch.set_num_threads(a.threads)
    model, tok = build_tiny(0)
    vocab = tok.get_vocab_size()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(3, vocab, (a.batch, a.seq), generator=g)

    def fb() -> None:
        logits = model(input_ids=ids[:, :-1]).logits.float()
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        model.zero_grad(set_to_none=True)

    model.train()
    fb()  # warm-up
    t0 = time.perf_counter()
    for _ in range(a.steps):
        fb()
    fb_tps = a.batch * (a.seq - 1) * a.steps / (time.perf_counter() - t0)

    model.eval()
    prompts = torch.randint(3, vocab, (a.batch, a.prompt), generator=g)
    kw = dict(max_new_tokens=a.new, min_new_tokens=a.new, do_sample=True, temperature=1.0, top_p=1.0, top_k=0, pad_token_id=0)
    with torch.no_grad():
        model.generate(prompts, **kw)  # warm-up
        t0 = time.perf_counter()
        for _ in range(a.sample_steps):
            model.generate(prompts, **kw)
    s_tps = a.batch * a.new * a.sample_steps / (time.perf_counter() - t0)
    print(json.dumps({"fb_tokens_per_s": fb_tps, "sample_tokens_per_s": s_tps}))


if __name__ == "__main__":
    main()
