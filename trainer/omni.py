"""Audio-capable policies: the Qwen2.5-Omni thinker (audio encoder + Qwen2 decoder) in transformers.

`OmniThinkerLM` is `Qwen2_5OmniThinkerForConditionalGeneration` with the call signature of a causal
LM (`input_ids` or `inputs_embeds`, `position_ids`, `past_key_values`, `logits_to_keep`), so the
service's sampler, batch planner, prefix cache, critics and LoRA drive it exactly as they drive
Qwen3. Audio reaches it as `inputs_embeds` built by `audio.embed_rows` (the encoder output written
over the `<|AUDIO|>` placeholders), which is what the thinker's own forward does with
`input_features`; positions are the plain 1-D ones (the thinker's 3-D TMRoPE positions equal them
when a sequence holds audio and text only: `get_rope_index` gives audio tokens consecutive
positions), expanded to its three rotary sections.

Presets: `tiny-omni` — the tiny tokenizer plus `<|audio_bos|>`, `<|AUDIO|>`, `<|audio_eos|>`, a
2-layer decoder (hidden 64) and a 1-layer audio encoder (d_model 32, 128 mel bins as Qwen2.5-Omni
takes), random and seeded, for tests and CPU runs. A local Hugging Face directory of a thinker
(or of a whole Qwen2.5-Omni, whose thinker is taken) loads with its own weights (untested here: no
weights can be downloaded in this environment).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from tokenizers import AddedToken, Tokenizer
from transformers import PreTrainedModel, Qwen2_5OmniThinkerConfig, Qwen2_5OmniThinkerForConditionalGeneration, WhisperFeatureExtractor
from transformers.modeling_outputs import CausalLMOutputWithPast

from .audio import AUDIO_SPECIALS, AudioFrontend
from .tokenizer import tiny_tokenizer

OMNI_MODEL_TYPES = ("qwen2_5_omni_thinker", "qwen2_5_omni")


class OmniThinkerLM(Qwen2_5OmniThinkerForConditionalGeneration):
    """The thinker as a plain causal LM over `input_ids` or `inputs_embeds` (see the module doc)."""

    def forward(  # type: ignore[override]
        self,
        input_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.Tensor | None = None,
        past_key_values: Any = None,
        use_cache: bool | None = None,
        logits_to_keep: int = 0,
        output_hidden_states: bool | None = None,
        **_: Any,  # PEFT passes labels, output_attentions, return_dict: unused here
    ) -> CausalLMOutputWithPast:
        out = self.model(
            input_ids=input_ids,
            inputs_embeds=inputs_embeds,
            attention_mask=attention_mask,
            position_ids=position_ids,
            past_key_values=past_key_values,
            use_cache=use_cache,
            output_hidden_states=bool(output_hidden_states),
        )
        hidden = out.last_hidden_state
        logits = self.lm_head(hidden[:, -logits_to_keep:] if logits_to_keep else hidden)
        return CausalLMOutputWithPast(logits=logits, past_key_values=out.past_key_values, hidden_states=out.hidden_states)


def omni_tokenizer(base: Tokenizer | None = None) -> Tokenizer:
    """The tiny tokenizer (or `base`) with the three audio specials appended (ids 1024–1026 on tiny)."""
    tok = base if base is not None else tiny_tokenizer()
    missing = [t for t in AUDIO_SPECIALS if tok.token_to_id(t) is None]
    if missing:
        tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in missing])
    return tok


def tiny_omni_config(tok: Tokenizer) -> Qwen2_5OmniThinkerConfig:
    ids = {t: tok.token_to_id(t) for t in AUDIO_SPECIALS}
    hidden = 64
    cfg = Qwen2_5OmniThinkerConfig(
        audio_config={"num_mel_bins": 128, "encoder_layers": 1, "encoder_attention_heads": 2, "encoder_ffn_dim": 64, "d_model": 32, "output_dim": hidden, "n_window": 100},
        vision_config={"depth": 1, "hidden_size": 16, "intermediate_size": 32, "num_heads": 2, "out_hidden_size": hidden, "fullatt_block_indexes": [0]},
        text_config={
            "vocab_size": tok.get_vocab_size(),
            "hidden_size": hidden,
            "intermediate_size": 4 * hidden,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "max_position_embeddings": 4096,
            # head_dim 16: the three rotary sections (time, height, width) split its 8 frequencies.
            "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]},
            "pad_token_id": tok.token_to_id("<|endoftext|>"),
            "eos_token_id": tok.token_to_id("<|im_end|>"),
            "initializer_range": hidden**-0.5,
        },
        audio_token_index=ids["<|AUDIO|>"],
        audio_start_token_id=ids["<|audio_bos|>"],
        audio_end_token_id=ids["<|audio_eos|>"],
        initializer_range=hidden**-0.5,
    )
    # transformers' get_rope_index reads this (absent from the thinker config class); we never call
    # it, but a thinker saved and used elsewhere should not fail on it.
    cfg.vision_start_token_id = tok.token_to_id("<|im_start|>")
    return cfg


def build_tiny_omni(seed: int) -> tuple[PreTrainedModel, Tokenizer]:
    tok = omni_tokenizer()
    torch.manual_seed(seed)
    return OmniThinkerLM(tiny_omni_config(tok)), tok


def is_omni_dir(path: str) -> bool:
    f = Path(path) / "config.json"
    return f.exists() and json.loads(f.read_text()).get("model_type") in OMNI_MODEL_TYPES


def load_omni_dir(path: str) -> PreTrainedModel:
    cfg = json.loads((Path(path) / "config.json").read_text())
    if cfg.get("model_type") == "qwen2_5_omni":  # the whole model (thinker, talker, vocoder): its thinker
        from transformers import Qwen2_5OmniConfig

        thinker_cfg = Qwen2_5OmniConfig.from_pretrained(path).thinker_config
        return OmniThinkerLM.from_pretrained(path, config=thinker_cfg, dtype=torch.float32)
    return OmniThinkerLM.from_pretrained(path, dtype=torch.float32)


def is_audio_model(model: Any) -> bool:
    return isinstance(model, OmniThinkerLM)


def feature_extractor(model: OmniThinkerLM, path: str | None = None) -> WhisperFeatureExtractor:
    """The model directory's preprocessor_config.json when there is one; else Whisper's defaults
    with the encoder's mel bins (128 for Qwen2.5-Omni) — built locally, nothing downloaded."""
    if path is not None and (Path(path) / "preprocessor_config.json").exists():
        return WhisperFeatureExtractor.from_pretrained(path)
    return WhisperFeatureExtractor(feature_size=int(model.config.audio_config.num_mel_bins))


def frontend_for(model: OmniThinkerLM, tok: Tokenizer, path: str | None = None) -> AudioFrontend:
    ids: dict[str, int] = {}
    for t in AUDIO_SPECIALS:
        i = tok.token_to_id(t)
        if i is None:
            raise ValueError(f"the tokenizer of this audio model lacks {t}")
        ids[t] = int(i)
    if ids["<|AUDIO|>"] != model.config.audio_token_id:
        raise ValueError(f"tokenizer's <|AUDIO|> is {ids['<|AUDIO|>']} but the model's audio_token_id is {model.config.audio_token_id}")
    return AudioFrontend(feature_extractor(model, path), ids)


def lora_targets(names: list[str]) -> str:
    """LoRA on the decoder's projections only (a regex PEFT matches against module names): the
    default target names would also match the audio encoder's q/k/v projections, which stay frozen."""
    return r"model\.layers\.\d+\.(self_attn|mlp)\.(" + "|".join(names) + ")"
