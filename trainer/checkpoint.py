"""Checkpoint directories: weights, critic, optimizer state; PEFT adapter export.

Layout of a checkpoint written by save():
    tarl_checkpoint.json   {"version", "kind": "full"|"lora", "step", "origin", "session"}
    model/                 full: a Hugging Face directory (config.json, model.safetensors, tokenizer.json)
    adapter/               lora: PEFT format (adapter_config.json, adapter_model.safetensors),
                           loadable by vLLM's /v1/load_lora_adapter; the base is `origin`
                           ({"preset": "tiny", "seed": s} and {"scratch": shape, "tokenizer": dir,
                           "tokenizer_sha256", "seed"} are rebuilt bit-identically, {"path": p} is read;
                           a scratch base whose tokenizer file changed is refused)
    critic.safetensors     value head or separate critic, when the session has one
    optimizer.pt           AdamW + schedule state, step, sampler RNG (when saved with optimizer)

A service of N ranks (FSDP, fsdp.py) writes the same files: rank 0 writes the full state gathered
from every rank's slices (torch.distributed.checkpoint's full state dicts for the weights, the
optimizer's tensors gathered whole), and on load every rank reads the files and keeps its slice.
So a checkpoint does not depend on the world size that wrote it: saved by 2 ranks, it loads in
one process, and the other way round (tests/test_distributed.py).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from peft import PeftModel, set_peft_model_state_dict
from safetensors.torch import load_file, load_model, save_file, save_model
from tokenizers import Tokenizer
from torch import nn
from transformers import PreTrainedModel, PreTrainedTokenizerFast

from . import distributed, fsdp
from .models import build_preset, build_scratch, load_hf_dir
from .schemas import CheckpointModel, PathModel, PresetModel, ScratchConfigIn, ScratchModel

if TYPE_CHECKING:
    from .session import Session

VERSION = 1
META = "tarl_checkpoint.json"


def read_meta(ckpt: str) -> dict[str, Any]:
    f = Path(ckpt) / META
    if not f.exists():
        raise FileNotFoundError(f"{ckpt} is not a checkpoint ({META} missing)")
    meta: dict[str, Any] = json.loads(f.read_text())
    if meta.get("version") != VERSION:
        raise ValueError(f"{ckpt}: checkpoint version {meta.get('version')} (this service reads {VERSION})")
    return meta


def is_lora(ckpt: str) -> bool:
    return read_meta(ckpt)["kind"] == "lora"


def _from_origin(origin: dict[str, Any]) -> tuple[PreTrainedModel, Tokenizer]:
    if "preset" in origin:
        return build_preset(str(origin["preset"]), int(origin["seed"]))
    if "scratch" in origin:
        spec = ScratchModel(scratch=ScratchConfigIn.model_validate(origin["scratch"]), tokenizer=str(origin["tokenizer"]))
        model, tok, rebuilt = build_scratch(spec, int(origin["seed"]))
        if rebuilt["tokenizer_sha256"] != origin["tokenizer_sha256"]:
            raise ValueError(
                f"the base was built with tokenizer sha256 {origin['tokenizer_sha256']}, but {origin['tokenizer']}/tokenizer.json "
                f"now has sha256 {rebuilt['tokenizer_sha256']}: token ids would not mean the same"
            )
        return model, tok
    return load_hf_dir(str(origin["path"]))


def load_base(
    spec: PresetModel | PathModel | CheckpointModel | ScratchModel, seed: int, device: torch.device | None = None, dtype: torch.dtype | None = None
) -> tuple[PreTrainedModel, Tokenizer, dict[str, Any]]:
    """The base weights of a session, and the origin a LoRA checkpoint records for them. device and
    dtype reach only the presets that build in place (qwen3-8b-random); the caller moves the rest."""
    if isinstance(spec, PresetModel):
        model, tok = build_preset(spec.preset, seed, device, dtype)
        return model, tok, {"preset": spec.preset, "seed": seed}
    if isinstance(spec, PathModel):
        model, tok = load_hf_dir(spec.path)
        return model, tok, {"path": str(Path(spec.path).resolve())}
    if isinstance(spec, ScratchModel):
        return build_scratch(spec, seed)
    meta = read_meta(spec.checkpoint)
    if meta["kind"] == "lora":
        model, tok = _from_origin(meta["origin"])
        return model, tok, meta["origin"]
    path = str((Path(spec.checkpoint) / "model").resolve())
    model, tok = load_hf_dir(path)
    return model, tok, {"path": path}


def attach_adapter(base: PreTrainedModel, ckpt: str) -> PeftModel:
    return PeftModel.from_pretrained(base, str(Path(ckpt) / "adapter"), is_trainable=True)


def load_critic(critic: nn.Module, ckpt: str) -> None:
    f = Path(ckpt) / "critic.safetensors"
    if f.exists():
        load_model(critic, str(f))


def load_merged(ckpt: str, seed: int) -> nn.Module:
    """A checkpoint's policy as a plain model (adapters merged): a frozen KL reference."""
    base, _, _ = load_base(CheckpointModel(checkpoint=ckpt), seed)
    if is_lora(ckpt):
        return attach_adapter(base, ckpt).merge_and_unload()
    return base


def _save_tokenizer(tok: Tokenizer, out: Path) -> None:
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.save_pretrained(str(out))


def save(s: Session, path: str, with_optimizer: bool) -> dict[str, Any]:
    kind = "lora" if s.is_lora() else "full"
    meta = {"version": VERSION, "kind": kind, "step": s.step, "origin": s.origin, "session": s.req.model_dump(mode="json")}
    # Sharded: gather the full states first (collectives, every rank); rank 0 alone writes them.
    policy_sd = fsdp.full_state(s.policy) if s.sharded else None
    critic_sd = fsdp.full_state(s.critic) if s.sharded and s.critic is not None else None
    optim_sd = (fsdp.full_optimizer_state(s.optimizer) if s.sharded else s.optimizer.state_dict()) if with_optimizer else None
    if distributed.rank() != 0:
        return meta
    final = Path(path)
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if kind == "lora":
        s.policy.save_pretrained(str(tmp / "adapter"), state_dict=policy_sd)
    else:
        s.policy.save_pretrained(str(tmp / "model"), state_dict=policy_sd)
        _save_tokenizer(s.tok, tmp / "model")
        if s.audio is not None:  # an audio model reloads with the same feature extractor
            s.audio.extractor.save_pretrained(str(tmp / "model"))
    if critic_sd is not None:
        save_file(critic_sd, str(tmp / "critic.safetensors"), metadata={"format": "pt"})
    elif s.critic is not None:
        save_model(s.critic, str(tmp / "critic.safetensors"))
    if optim_sd is not None:
        torch.save(
            {
                "optimizer": optim_sd,
                "scheduler": s.scheduler.state_dict(),
                "step": s.step,
                "generator": s.generator.get_state(),
            },
            tmp / "optimizer.pt",
        )
    (tmp / META).write_text(json.dumps(meta, indent=2))
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    return meta


def load(s: Session, path: str, with_optimizer: bool) -> dict[str, Any]:
    meta = read_meta(path)
    kind = "lora" if s.is_lora() else "full"
    if meta["kind"] != kind:
        raise ValueError(f"checkpoint is {meta['kind']} but this session is {kind}")
    root = Path(path)
    if kind == "lora" and meta["origin"] != s.origin:
        raise ValueError(f"adapter was trained on base {meta['origin']}, this session's base is {s.origin}")
    if kind == "lora" and s.sharded:
        fsdp.load_full_state(s.policy, _adapter_keys(s.policy, load_file(str(root / "adapter" / "adapter_model.safetensors")), path))
    elif kind == "lora":
        set_peft_model_state_dict(s.policy, load_file(str(root / "adapter" / "adapter_model.safetensors")))
    else:
        state = load_file(str(root / "model" / "model.safetensors"))
        missing, unexpected = fsdp.load_full_state(s.policy, state) if s.sharded else s.policy.load_state_dict(state, strict=False)
        tied = {"lm_head.weight"} if getattr(s.policy.config, "tie_word_embeddings", False) else set()
        if set(missing) - tied or unexpected:
            raise ValueError(f"checkpoint does not fit this model: missing {missing}, unexpected {unexpected}")
    if s.critic is not None and s.sharded and (root / "critic.safetensors").exists():
        fsdp.load_full_state(s.critic, load_file(str(root / "critic.safetensors")))
    elif s.critic is not None:
        load_critic(s.critic, path)
    if with_optimizer:
        f = root / "optimizer.pt"
        if not f.exists():
            raise ValueError(f"{path} was saved without optimizer state")
        st = torch.load(f, weights_only=False)
        if s.sharded:
            fsdp.shard_optimizer_state(s.optimizer, s.trainable(), st["optimizer"])
        else:
            s.optimizer.load_state_dict(st["optimizer"])
        s.scheduler.load_state_dict(st["scheduler"])
        s.step = int(st["step"])
        s.generator.set_state(st["generator"])
    s.kv_cache.clear()  # computed by the replaced weights
    if s.audio is not None:
        s.audio.clear()
    return meta


def export_tokenizer(s: Session, path: str) -> None:
    """The session's tokenizer.json at `path` (atomically): what viewers decode token ids with."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    s.tok.save(str(tmp))
    os.replace(tmp, out)


def _adapter_keys(policy: nn.Module, state: dict[str, torch.Tensor], path: str) -> dict[str, torch.Tensor]:
    """A PEFT adapter file's keys (no adapter name) as the model's parameter names
    (`….lora_A.weight` → `….lora_A.default.weight`), what set_peft_model_state_dict does."""
    names = {k.replace(".default", ""): k for k in policy.state_dict() if "lora_" in k}
    unknown = [k for k in state if k not in names]
    if unknown:
        raise ValueError(f"{path}: adapter weights {unknown[:3]} do not fit this model's LoRA layers")
    return {names[k]: v for k, v in state.items()}


def export_adapter(s: Session, path: str) -> None:
    if not s.is_lora():
        raise ValueError("export_adapter needs a LoRA session")
    state = fsdp.full_state(s.policy) if s.sharded else None
    if distributed.rank() == 0:
        s.policy.save_pretrained(path, state_dict=state)
