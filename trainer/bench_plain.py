"""The plain-PyTorch baseline for `npm run bench:trainer`: the same tiny model and shapes,
no HTTP, no service. forward+backward with cross-entropy; sampling with HF generate (KV cache).

    python -m trainer.bench_plain --batch 8 --seq 256 --steps 5 --prompt 32 --new 64 --threads 2
prints one JSON line: {"fb_tokens_per_s": …, "sample_tokens_per_s": …}
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from .models import build_tiny


def main() -> None:
    ap = argparse.ArgumentParser()
    for name, default in (("batch", 8), ("seq", 256), ("steps", 5), ("prompt", 32), ("new", 64), ("threads", 2), ("sample_steps", 3)):
        ap.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    a = ap.parse_args()
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
