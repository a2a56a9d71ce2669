"""What a user would pick instead: TRL's GRPOTrainer on the same tiny model and a single-turn math
task, same group size and batch as our `tarl train` step (`npm run bench:train` compares them).

    python -m trainer.bench_trl --prompts prompts.jsonl --group 8 --tasks 8 --steps 4 --max-tokens 32

`prompts.jsonl`: one `{"prompt": <rendered prompt text>, "answer": str}` per line (the TS side
renders them with our chat format, so both trainers see the same tokens). Prints one JSON line:
seconds per step (median over the steps after the first) and completion tokens per second.
Needs `trl` and `datasets` (the bench installs trainer/requirements-bench.txt into .venv-bench).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

from .checkpoint import _save_tokenizer
from .models import build_tiny


def _answer(text: str) -> str | None:
    m = re.search(r"####\s*(-?\d+)", text)
    if m:
        return m.group(1)
    nums = re.findall(r"-?\d+", text)
    return nums[-1] if nums else None


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m trainer.bench_trl")
    ap.add_argument("--prompts", required=True)
    ap.add_argument("--group", type=int, default=8)
    ap.add_argument("--tasks", type=int, default=8)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--max-tokens", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from datasets import Dataset
    from transformers import PreTrainedTokenizerFast, TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    rows = [json.loads(line) for line in Path(args.prompts).read_text().splitlines() if line.strip()]
    answers = {r["prompt"]: r["answer"] for r in rows}
    model, tok = build_tiny(args.seed)
    with tempfile.TemporaryDirectory() as d:
        _save_tokenizer(tok, Path(d))
        hf_tok = PreTrainedTokenizerFast.from_pretrained(d)
    hf_tok.padding_side = "left"

    def reward(prompts: list[str], completions: list[str], **_: Any) -> list[float]:
        return [1.0 if _answer(c) == answers.get(p) else 0.0 for p, c in zip(prompts, completions)]

    step_times: list[float] = []
    tokens: list[int] = []

    class Timer(TrainerCallback):  # type: ignore[misc]
        def on_step_begin(self, *_: Any, **__: Any) -> None:
            self.t0 = time.perf_counter()

        def on_step_end(self, *_: Any, **__: Any) -> None:
            step_times.append(time.perf_counter() - self.t0)

    batch = args.group * args.tasks
    cfg = GRPOConfig(
        output_dir=tempfile.mkdtemp(prefix="tarl-trl-"),
        per_device_train_batch_size=batch,
        gradient_accumulation_steps=1,
        num_generations=args.group,
        max_completion_length=args.max_tokens,
        learning_rate=1e-4,
        max_steps=args.steps,
        logging_steps=1,
        report_to="none",
        save_strategy="no",
        use_cpu=True,
        seed=args.seed,
        temperature=1.0,
        beta=0.0,
        dataloader_num_workers=0,
    )
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=[reward],
        args=cfg,
        train_dataset=Dataset.from_list([{"prompt": r["prompt"]} for r in rows]),
        processing_class=hf_tok,
        callbacks=[Timer()],
    )
    trainer.train()
    for entry in trainer.state.log_history:
        if "completions/mean_length" in entry:
            tokens.append(int(entry["completions/mean_length"] * batch))
    later = step_times[1:] or step_times
    per_step = statistics.median(later)
    tok = statistics.median(tokens[1:] or tokens) if tokens else 0
    print(json.dumps({"trl_version": __import__("trl").__version__, "steps": len(step_times), "seconds_per_step": per_step, "completion_tokens_per_step": tok, "completion_tokens_per_s": tok / per_step if per_step else 0}))


if __name__ == "__main__":
    main()
