"""The GPU part of `npm run bench:trainer --gpu`: a Qwen3-8B-sized random model (preset
`qwen3-8b-random`), LoRA rank 16 on every attention and MLP projection, bf16 on CUDA.

Service = the trainer's own `Session` (what the HTTP handlers call, minus HTTP and JSON):
`forward_backward` with the PPO-clip loss and a prompt mask, and KV-cached `sample`. Plain = the
same PEFT module driven by a bare PyTorch loop (same batch, same loss) and by HF `generate`.

MFU = 4·N·tokens / step time / 989 TFLOP/s (H100 SXM dense bf16). N = the weights of every matmul
a token passes (all linear layers + lm_head, not the embedding lookup). 4·N per token = forward 2·N
+ backward 2·N for activation gradients only: the base weights are frozen under LoRA, so the 2·N of
weight gradients that make the usual 6·N is never computed. LoRA's own matmuls and attention
scores (≈3% more at 1024 tokens) are not counted.

    python -m trainer.bench_gpu [--batch 8 --seq 1024 ...] [--out bench_gpu.json]

forward_backward starts at --batch and halves it on CUDA out-of-memory, recording each failure.

On a machine without pydantic (the GPU image has none and no cp312 wheel reaches it), the request
schemas are built on a validation-free stand-in for pydantic's BaseModel (`_schemas_without_pydantic`):
the classes, fields and defaults stay those of schemas.py; the bench builds valid requests in code.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import statistics
import sys
import time
import types
from collections.abc import Callable
from typing import Any

import torch

H100_SXM_BF16_DENSE = 989e12


def _schemas_without_pydantic() -> None:
    """Imports trainer.schemas with a BaseModel that keeps fields and defaults but validates nothing."""
    if importlib.util.find_spec("pydantic") is not None:
        return
    required = object()

    class BaseModel:
        def __init__(self, **kw: Any) -> None:
            fields = {f for c in type(self).__mro__ for f in getattr(c, "__annotations__", {})}
            for f in fields:
                if f not in kw and getattr(type(self), f, required) is required:
                    raise TypeError(f"{type(self).__name__}.{f} is required")
                setattr(self, f, kw.pop(f) if f in kw else getattr(type(self), f))
            if kw:
                raise TypeError(f"{type(self).__name__}: unknown fields {sorted(kw)}")

        def model_dump(self, mode: str = "python") -> dict[str, Any]:
            return {k: v.model_dump() if isinstance(v, BaseModel) else v for k, v in vars(self).items()}

    fake = types.ModuleType("pydantic")
    fake.__spec__ = importlib.machinery.ModuleSpec("pydantic", None)
    fake.BaseModel = BaseModel  # type: ignore[attr-defined]
    fake.ConfigDict = dict  # type: ignore[attr-defined]
    fake.Field = lambda default=required, **_: default  # type: ignore[attr-defined]
    fake.model_validator = lambda **_: (lambda f: f)  # type: ignore[attr-defined]
    sys.modules["pydantic"] = fake
    try:
        importlib.import_module("trainer.schemas")
    finally:
        del sys.modules["pydantic"]  # nothing else may take the stand-in for the real thing
    print("note: pydantic not installed; request schemas built without validation", file=sys.stderr)


def log(msg: str) -> None:
    print(f"[bench_gpu {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def timed(dev: torch.device, fn: Callable[[], object], warmup: int, reps: int) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        sync(dev)
        t0 = time.perf_counter()
        fn()
        sync(dev)
        out.append(time.perf_counter() - t0)
    return out


def matmul_tflops(dev: torch.device) -> float:
    """The chip's measured bf16 ceiling: 8192³ products on random data, median of 10."""
    a, b = (torch.randn(8192, 8192, device=dev, dtype=torch.bfloat16) for _ in range(2))
    ts = timed(dev, lambda: a @ b, 3, 10)
    return 2 * 8192**3 / statistics.median(ts) / 1e12


def main() -> None:
    ap = argparse.ArgumentParser()
    for name, default in (("batch", 8), ("seq", 1024), ("warmup", 2), ("steps", 5), ("rounds", 2),
                          ("prompts", 8), ("prompt_len", 128), ("new", 128), ("sample_reps", 2), ("rank", 16)):
        ap.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    ap.add_argument("--preset", default="qwen3-8b-random")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--out", default=os.path.join(os.environ["OUT"], "bench_gpu.json") if os.environ.get("OUT") else None)
    a = ap.parse_args()

    _schemas_without_pydantic()
    from .schemas import CreateSession, ForwardBackwardReq, ForwardDatum, ForwardReq, LoraConfigIn, LossIn, PresetModel, SampleReq
    from .session import Session

    dev = torch.device(a.device)
    cuda = dev.type == "cuda"
    res: dict[str, Any] = {"args": vars(a), "torch": torch.__version__, "failures": []}
    if cuda:
        res["device_name"] = torch.cuda.get_device_name(dev)
        res["matmul_tflops"] = matmul_tflops(dev)
        torch.cuda.empty_cache()

    t0 = time.perf_counter()
    lora = LoraConfigIn(rank=a.rank, alpha=2.0 * a.rank)
    s = Session("bench", CreateSession(model=PresetModel(preset=a.preset), lora=lora, dtype=a.dtype, device=a.device))
    sync(dev)
    res["build_s"] = time.perf_counter() - t0
    log(f"session built in {res['build_s']:.1f} s")
    model = s.policy
    base = model.get_base_model()
    n_mm = sum(p.numel() for n, p in base.named_parameters() if p.dim() == 2 and "embed_tokens" not in n and "lora_" not in n)
    res["params"] = sum(p.numel() for n, p in base.named_parameters() if "lora_" not in n)
    res["params_matmul"] = n_mm
    res["params_trainable"] = sum(p.numel() for p in s.trainable())

    g = torch.Generator().manual_seed(0)

    def fb_phase(batch: int) -> None:
        L = a.seq
        ids = torch.randint(5, s.vocab, (batch, L + 1), generator=g)
        w = torch.ones(batch, L)
        w[:, : L // 4] = 0  # the prompt quarter of each row is masked out
        adv = torch.randn(batch, 1, generator=g).expand(batch, L).contiguous()
        rows = [ForwardDatum(input_ids=r[:-1].tolist(), target_ids=r[1:].tolist()) for r in ids]
        old = s.forward(ForwardReq(data=rows))["logprobs"]  # the policy's own log-probs: ratio ≈ 1
        data = [
            ForwardDatum(input_ids=r[:-1].tolist(), target_ids=r[1:].tolist(), weights=w[i].tolist(),
                         advantages=adv[i].tolist(), old_logprobs=old[i])
            for i, r in enumerate(ids)
        ]
        req = ForwardBackwardReq(data=data, loss=LossIn(kind="ppo"))

        def service() -> None:
            s.forward_backward(req)
            s.optimizer.zero_grad(set_to_none=True)

        x, y = ids[:, :-1].to(dev), ids[:, 1:].to(dev)
        attn = torch.ones_like(x)
        wt, at, ot = w.to(dev), adv.to(dev), torch.tensor(old, device=dev)

        def plain() -> None:
            logits = model(input_ids=x, attention_mask=attn).logits.float()
            logp = torch.log_softmax(logits, -1).gather(-1, y[..., None]).squeeze(-1)
            r = torch.exp(logp - ot)
            pg = -torch.minimum(r * at, r.clamp(0.8, 1.2) * at)
            ((pg * wt).sum() / wt.sum()).backward()
            model.zero_grad(set_to_none=True)

        log(f"forward_backward {batch} x {L}")
        if cuda:
            torch.cuda.reset_peak_memory_stats(dev)
        times: dict[str, list[float]] = {"service": [], "plain": []}
        for _ in range(a.rounds):  # alternated, so drift hits both alike
            times["service"] += timed(dev, service, a.warmup, a.steps)
            times["plain"] += timed(dev, plain, a.warmup, a.steps)
        tokens = batch * L
        res["fb"] = {"batch": batch, "seq": L, "tokens": tokens, "flops_per_token": 4 * n_mm}
        for k, ts in times.items():
            med = statistics.median(ts)
            res["fb"][k] = {"step_s_median": med, "step_s_min": min(ts), "step_s_max": max(ts), "tokens_per_s": tokens / med,
                            "mfu": 4 * n_mm * tokens / med / H100_SXM_BF16_DENSE if cuda else None}
        if cuda:
            res["fb"]["max_memory_allocated_gib"] = torch.cuda.max_memory_allocated(dev) / 2**30

    batch = a.batch
    while batch >= 1:
        try:
            fb_phase(batch)
            break
        except torch.OutOfMemoryError as e:
            res["failures"].append(f"forward_backward batch {batch} x {a.seq}: CUDA out of memory ({str(e).splitlines()[0][:160]})")
        s.optimizer.zero_grad(set_to_none=True)  # outside the except: its traceback no longer pins the tensors
        model.zero_grad(set_to_none=True)
        torch.cuda.empty_cache()
        batch //= 2

    prompts = torch.randint(5, s.vocab, (a.prompts, a.prompt_len), generator=g)
    sreq = SampleReq(prompts=prompts.tolist(), n=1, max_tokens=a.new, temperature=1.0, top_p=1.0, stop_token_ids=[], seed=0,
                    use_cache=False)  # the same prompts each round: the prefix cache would skip their prefill
    produced: list[int] = []

    def service_sample() -> None:
        out, _ = s.sample(sreq)
        produced.append(sum(len(c.ids) for grp in out for c in grp))

    pdev = prompts.to(dev)
    kw = dict(attention_mask=torch.ones_like(pdev), max_new_tokens=a.new, min_new_tokens=a.new, do_sample=True,
              temperature=1.0, top_p=1.0, top_k=0, pad_token_id=s.pad_id)

    def hf_generate() -> None:
        with torch.no_grad():
            out = model.generate(input_ids=pdev, **kw)
        produced.append(int(out.shape[0] * (out.shape[1] - a.prompt_len)))

    if cuda:
        torch.cuda.reset_peak_memory_stats(dev)
    model.eval()
    res["sample"] = {"prompts": a.prompts, "prompt_len": a.prompt_len, "new_tokens": a.new}
    for name, fn in (("service", service_sample), ("hf_generate", hf_generate)):
        try:
            log(f"sample: {name}")
            produced.clear()
            ts = timed(dev, fn, 1, a.sample_reps)
            med = statistics.median(ts)
            res["sample"][name] = {"s_median": med, "tokens": produced[-1], "tokens_per_s": produced[-1] / med,
                                   "ms_per_step": 1000 * med / a.new}
        except Exception as e:  # noqa: BLE001 — a failure is a figure too
            res["failures"].append(f"sample {name}: {type(e).__name__}: {str(e)[:300]}")
    if cuda:
        res["sample"]["max_memory_allocated_gib"] = torch.cuda.max_memory_allocated(dev) / 2**30
    report(res)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=2)


def report(res: dict[str, Any]) -> None:
    fb, sm = res.get("fb", {}), res["sample"]
    print(f"device: {res.get('device_name', 'cpu')}, torch {res['torch']}, measured bf16 matmul ceiling "
          f"{res.get('matmul_tflops', float('nan')):.0f} TFLOP/s; model {res['params'] / 1e9:.2f}B params "
          f"(N = {res['params_matmul'] / 1e9:.2f}B in matmuls), LoRA trainable {res['params_trainable'] / 1e6:.1f}M; built in {res['build_s']:.1f} s")
    print(f"{'metric':<34}{'service':>12}{'plain':>12}{'ratio':>8}")
    if "service" in fb:
        sv, pl = fb["service"], fb["plain"]
        print(f"{'forward_backward tok/s':<34}{sv['tokens_per_s']:>12.0f}{pl['tokens_per_s']:>12.0f}{sv['tokens_per_s'] / pl['tokens_per_s']:>8.3f}")
        if sv["mfu"] is not None:
            print(f"{'  MFU (4·N·tok / 989 TFLOP/s)':<34}{sv['mfu']:>12.1%}{pl['mfu']:>12.1%}")
        print(f"{'  step s (median of all)':<34}{sv['step_s_median']:>12.3f}{pl['step_s_median']:>12.3f}")
    if "service" in sm and "hf_generate" in sm:
        sv, pl = sm["service"], sm["hf_generate"]
        print(f"{'sample tok/s':<34}{sv['tokens_per_s']:>12.0f}{pl['tokens_per_s']:>12.0f}{sv['tokens_per_s'] / pl['tokens_per_s']:>8.3f}")
        print(f"{'  ms per decode step':<34}{sv['ms_per_step']:>12.1f}{pl['ms_per_step']:>12.1f}")
    print(f"forward_backward: {fb.get('batch')} × {fb.get('seq')} tokens, PPO-clip, first quarter masked; "
          f"sample: {sm['prompts']} prompts × {sm['prompt_len']} → {sm['new_tokens']} new tokens, T=1 (plain = HF generate)")
    for k in ("fb", "sample"):
        if "max_memory_allocated_gib" in res.get(k, {}):
            print(f"torch.cuda.max_memory_allocated during {k}: {res[k]['max_memory_allocated_gib']:.1f} GiB")
    for f in res["failures"]:
        print(f"FAILED: {f}")


if __name__ == "__main__":
    main()
