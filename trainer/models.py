"""Model construction: presets (tiny; a random Qwen3-8B-sized model; tiny-omni, an audio model),
scratch models (random Qwen3 of any shape over a given tokenizer), local HF directories, LoRA
wrapping, critics."""

from __future__ import annotations

from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from tokenizers import Tokenizer
from torch import nn
from transformers import AutoModelForCausalLM, PreTrainedModel, Qwen3Config, Qwen3ForCausalLM

from .schemas import LoraConfigIn, ScratchConfigIn, ScratchModel
from .tokenizer import file_sha256, tiny_tokenizer

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


TINY = ScratchConfigIn(layers=2, hidden=64, heads=4, kv_heads=2, intermediate=256, max_positions=4096)


def scratch_config(shape: ScratchConfigIn, vocab_size: int, pad_id: int, eos_id: int) -> Qwen3Config:
    return Qwen3Config(
        vocab_size=vocab_size,
        hidden_size=shape.hidden,
        intermediate_size=shape.intermediate or 4 * shape.hidden,
        num_hidden_layers=shape.layers,
        num_attention_heads=shape.heads,
        num_key_value_heads=shape.kv_heads,
        head_dim=shape.hidden // shape.heads,
        tie_word_embeddings=True,
        max_position_embeddings=shape.max_positions,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        bos_token_id=None,
        # 1/sqrt(hidden), not HF's 0.02 (tuned for hidden ≈ 4096): with tied embeddings the logit
        # range is ~|h|·|e|, and at 0.02 a 64-wide model could barely move off uniform, which
        # would leave LoRA (which cannot touch the embeddings) almost unable to learn.
        initializer_range=shape.hidden**-0.5,
    )


def _random_qwen3(shape: ScratchConfigIn, tok: Tokenizer, seed: int) -> PreTrainedModel:
    torch.manual_seed(seed)  # random init is a function of the seed alone
    pad, eos = tok.token_to_id("<|endoftext|>"), tok.token_to_id("<|im_end|>")
    if pad is None or eos is None:
        raise ValueError("the tokenizer lacks <|endoftext|> or <|im_end|> (train it with POST /v1/tokenizers)")
    return Qwen3ForCausalLM(scratch_config(shape, tok.get_vocab_size(), pad, eos))


def build_tiny(seed: int) -> tuple[PreTrainedModel, Tokenizer]:
    tok = tiny_tokenizer()
    return _random_qwen3(TINY, tok, seed), tok


def build_scratch(spec: ScratchModel, seed: int) -> tuple[PreTrainedModel, Tokenizer, dict[str, object]]:
    """A random Qwen3 over the tokenizer in spec.tokenizer, and its origin: enough to rebuild the
    same weights (shape, tokenizer path and sha256, seed), so a LoRA checkpoint can name its base."""
    tok_file = Path(spec.tokenizer) / "tokenizer.json"
    if not tok_file.exists():
        raise FileNotFoundError(f"model.tokenizer: {tok_file} not found")
    tok = Tokenizer.from_file(str(tok_file))
    origin = {"scratch": spec.scratch.model_dump(), "tokenizer": str(tok_file.parent.resolve()), "tokenizer_sha256": file_sha256(tok_file), "seed": seed}
    return _random_qwen3(spec.scratch, tok, seed), tok, origin


def qwen3_8b_config(pad_id: int, eos_id: int) -> Qwen3Config:
    """Qwen3-8B's shapes (8.19B parameters), for GPU throughput benches; weights are random."""
    return Qwen3Config(
        vocab_size=151936,
        hidden_size=4096,
        intermediate_size=12288,
        num_hidden_layers=36,
        num_attention_heads=32,
        num_key_value_heads=8,
        head_dim=128,
        tie_word_embeddings=False,
        max_position_embeddings=40960,
        rope_theta=1_000_000.0,
        rms_norm_eps=1e-6,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        bos_token_id=None,
    )


def build_preset(name: str, seed: int, device: torch.device | None = None, dtype: torch.dtype | None = None) -> tuple[PreTrainedModel, Tokenizer]:
    """tiny: built on the CPU in float32 (bit-identical for a seed). qwen3-8b-random: built directly
    on `device` in `dtype` (33 GB in float32 on a CPU is no way to reach a GPU), with the tiny
    tokenizer (ids < 1024 render text; the model takes any id < 151936)."""
    if name == "tiny":
        return build_tiny(seed)
    if name == "tiny-omni":
        from .omni import build_tiny_omni

        return build_tiny_omni(seed)
    if name != "qwen3-8b-random":
        raise ValueError(f"unknown preset {name!r}")
    tok = tiny_tokenizer()
    torch.manual_seed(seed)
    cfg = qwen3_8b_config(tok.token_to_id("<|endoftext|>"), tok.token_to_id("<|im_end|>"))
    with torch.device(device or "cpu"):
        model = Qwen3ForCausalLM._from_config(cfg, dtype=dtype or torch.float32)
    return model, tok


def load_hf_dir(path: str) -> tuple[PreTrainedModel, Tokenizer]:
    tok_file = Path(path) / "tokenizer.json"
    if not tok_file.exists():
        raise FileNotFoundError(f"{tok_file} not found (the service needs a fast tokenizer.json)")
    from .omni import is_omni_dir, load_omni_dir

    if is_omni_dir(path):
        return load_omni_dir(path), Tokenizer.from_file(str(tok_file))
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    return model, Tokenizer.from_file(str(tok_file))


def pad_token_id(model: nn.Module, tok: Tokenizer) -> int:
    for name in ("<|endoftext|>", "<pad>", "<|im_end|>"):
        tid = tok.token_to_id(name)
        if tid is not None:
            return int(tid)
    return 0


def wrap_lora(model: PreTrainedModel, cfg: LoraConfigIn) -> PeftModel:
    from .omni import is_audio_model, lora_targets

    lc = LoraConfig(
        r=cfg.rank,
        lora_alpha=cfg.alpha,
        lora_dropout=cfg.dropout,
        # An audio model's encoder has q/k/v projections too: adapters go on the decoder only.
        target_modules=lora_targets(cfg.target_modules) if is_audio_model(model) else cfg.target_modules,
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, lc)


def backbone(model: nn.Module) -> nn.Module:
    """The transformer body (no LM head) of a causal LM, LoRA-wrapped or not."""
    base = model.get_base_model() if isinstance(model, PeftModel) else model
    body = getattr(base, "model", None)
    if not isinstance(body, nn.Module):
        raise TypeError(f"{type(base).__name__} has no .model backbone")
    return body


class ValueHead(nn.Module):
    """A scalar value per position from a hidden state; zero-initialised so V starts at 0."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.proj = nn.Linear(hidden, 1)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.proj(h.float()).squeeze(-1)


class SeparateCritic(nn.Module):
    """Its own backbone (a copy of the base model's) plus a value head, trained fully. The session
    runs `body` over a batch plan (batch.py) and applies `head` to its last hidden state."""

    def __init__(self, body: nn.Module, hidden: int) -> None:
        super().__init__()
        self.body = body
        self.head = ValueHead(hidden)
