"""Request bodies of the HTTP API (pydantic). Malformed requests fail here with a 400."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .tokenizer import SPECIAL_TOKENS


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- chat ---------------------------------------------------------------------------------


class FunctionCallIn(BaseModel):
    name: str
    arguments: str


class ToolCallIn(BaseModel):
    id: str = ""
    type: Literal["function"] = "function"
    function: FunctionCallIn


class AudioIn(Strict):
    """A WAV file the service reads (speech user turns; audio-capable models only)."""

    path: str = Field(min_length=1, description="a PCM16 WAV file at the model's feature rate (16 kHz for Qwen2.5-Omni)")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="when given, the file must still have this content")


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")  # OpenAI clients send extra fields (name, refusal…)
    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: str | None = None
    name: str | None = None
    # A spoken user turn: renders as <|audio_bos|> N×<|AUDIO|> <|audio_eos|>, then `content` (the
    # transcript) when it is not empty.
    audio: AudioIn | None = None

    @model_validator(mode="after")
    def _audio_on_user(self) -> ChatMessageIn:
        if self.audio is not None and self.role != "user":
            raise ValueError(f"audio is for user messages (this one is {self.role})")
        return self


class AudioAt(Strict):
    """An audio span of a token sequence: its placeholder ids start at index `at`."""

    at: int = Field(ge=0)
    path: str = Field(min_length=1)
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")


class ToolSpec(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: Literal["function"] = "function"
    function: dict[str, Any]


# ---- sessions -----------------------------------------------------------------------------


class PresetModel(Strict):
    # tiny-omni: a tiny random Qwen2.5-Omni thinker (audio encoder + decoder) for speech (trainer/omni.py).
    preset: Literal["tiny", "qwen3-8b-random", "tiny-omni"]


class PathModel(Strict):
    path: str = Field(min_length=1, description="local Hugging Face model directory")


class CheckpointModel(Strict):
    checkpoint: str = Field(min_length=1, description="a directory written by /save")


class ScratchConfigIn(Strict):
    """A randomly initialised Qwen3 (tied embeddings, init std hidden**-0.5, like the tiny preset)."""

    layers: int = Field(ge=1, le=256)
    hidden: int = Field(ge=1, le=65536)
    heads: int = Field(ge=1, le=1024)
    kv_heads: int = Field(ge=1, le=1024)
    intermediate: int | None = Field(None, ge=1, description="default 4 * hidden")
    max_positions: int = Field(ge=1, le=1_048_576)

    @model_validator(mode="after")
    def _shapes(self) -> ScratchConfigIn:
        if self.hidden % self.heads:
            raise ValueError(f"hidden ({self.hidden}) must be a multiple of heads ({self.heads})")
        if self.heads % self.kv_heads:
            raise ValueError(f"heads ({self.heads}) must be a multiple of kv_heads ({self.kv_heads})")
        return self


class ScratchModel(Strict):
    scratch: ScratchConfigIn
    tokenizer: str = Field(min_length=1, description="a directory holding tokenizer.json (e.g. from POST /v1/tokenizers)")


class ConversationIn(Strict):
    messages: list[ChatMessageIn] = Field(min_length=1)
    tools: list[ToolSpec] | None = None


class TrainTokenizerReq(Strict):
    texts: list[str] = Field([], description="raw training texts")
    conversations: list[ConversationIn] = Field([], description="conversations, rendered to text in the service's chat format")
    # 256 byte symbols + 5 special tokens are always in the vocabulary.
    vocab_size: int = Field(ge=261, le=1_000_000)
    added_tokens: list[str] = Field([], description="whole words that become single non-special tokens, e.g. record ids")
    split_digits: bool = Field(False, description="every digit outside the added tokens is its own token, so numbers are copied digit by digit")
    out: str = Field(min_length=1, description="directory to write tokenizer.json into")

    @model_validator(mode="after")
    def _added(self) -> TrainTokenizerReq:
        if not self.texts and not self.conversations:
            raise ValueError("give texts or conversations to train on")
        seen: set[str] = set()
        for i, t in enumerate(self.added_tokens):
            if not t or t != t.strip():
                raise ValueError(f"added_tokens[{i}] ({t!r}) must be non-empty without surrounding whitespace")
            if t in SPECIAL_TOKENS or t in seen:
                raise ValueError(f"added_tokens[{i}] ({t!r}) is a special token or a duplicate")
            seen.add(t)
        return self


class LoraConfigIn(Strict):
    rank: int = Field(8, ge=1, le=1024)
    alpha: float = Field(16.0, gt=0)
    dropout: float = Field(0.0, ge=0, lt=1)
    target_modules: list[str] = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class ScheduleIn(Strict):
    kind: Literal["constant", "linear", "cosine"] = "constant"
    warmup_steps: int = Field(0, ge=0)
    total_steps: int = Field(1000, ge=1)
    min_ratio: float = Field(0.0, ge=0, le=1)


class OptimizerIn(Strict):
    lr: float = Field(1e-4, gt=0)
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = Field(1e-8, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    grad_clip: float | None = Field(1.0, gt=0)
    schedule: ScheduleIn = ScheduleIn()


class CreateSession(Strict):
    model: PresetModel | PathModel | CheckpointModel | ScratchModel
    lora: LoraConfigIn | None = None
    seed: int = 0
    dtype: Literal["float32", "bfloat16", "float16"] = "float32"
    device: str = "cpu"
    # none: no critic (GRPO, SFT). separate: a copy of the base backbone + linear head, trained
    # fully (recommended for PPO: value gradients never disturb the policy). shared: a linear
    # head on the policy's last hidden state (one forward pass; cheaper, but couples the two).
    critic: Literal["none", "shared", "separate"] = "none"
    # KL reference: "initial" = the weights at creation (for LoRA: the adapter-disabled base),
    # or {"checkpoint": dir} for a named checkpoint such as the SFT model.
    reference: Literal["initial"] | CheckpointModel | None = None
    optimizer: OptimizerIn = OptimizerIn()
    # Prefix KV cache for sampling (kv_cache.py): at most this many tokens' keys/values are kept
    # (per token: 2 · layers · kv_heads · head_dim values; 512 bytes on the tiny preset). 0 = off.
    kv_cache_tokens: int = Field(262144, ge=0)
    # Audio models: train the audio encoder too (default: frozen; its outputs are then cached per file).
    train_audio_tower: bool = False
    # Sampling runs in chunks of rows whose padded key/value positions (rows × (longest prompt +
    # max_tokens)) stay under this budget: on a CPU the per-step growth of a large KV cache costs
    # more than the batching saves (128 rows × 700 tokens: 21 s in one batch, 6 s in chunks of 32,
    # measured on 2 cores). None: 32,768 on CPU, unbounded on an accelerator.
    sample_chunk_tokens: int | None = Field(None, ge=1)
    # Recompute each transformer block's activations in the backward pass instead of keeping them
    # (Hugging Face gradient checkpointing, non-reentrant): activation memory of one block instead
    # of all, for about one more forward pass of compute. Same loss and gradients (within float
    # rounding). Turns off the shared-prefix fast path of forward_backward (batch.py).
    gradient_checkpointing: bool = False


# ---- tokens -------------------------------------------------------------------------------


class RenderReq(Strict):
    messages: list[ChatMessageIn]
    tools: list[ToolSpec] | None = None
    generation_prompt: bool = False
    continuation: bool = Field(False, description="messages are a delta appended to a rendered prefix")


class RenderBatchReq(Strict):
    items: list[RenderReq] = Field(min_length=1)


class SampleReq(Strict):
    prompts: list[list[int]] = Field(min_length=1)
    n: int = Field(1, ge=1, le=256)
    max_tokens: int = Field(64, ge=1, le=32768)
    temperature: float = Field(1.0, ge=0)
    top_p: float = Field(1.0, gt=0, le=1)
    stop_token_ids: list[int] | None = Field(None, description="default: [<|im_end|>]")
    seed: int | None = None
    seeds: list[int] | None = Field(
        None,
        description="one seed per prompt: each row samples from its own generator, so its tokens do not depend on what else is in the batch",
    )
    use_cache: bool = Field(True, description="false: prefill every prompt in full and leave the prefix cache alone")
    audio: list[list[AudioAt]] | None = Field(None, description="per prompt, its audio spans (audio models)")

    @model_validator(mode="after")
    def _nonempty(self) -> SampleReq:
        for i, p in enumerate(self.prompts):
            if not p:
                raise ValueError(f"prompts[{i}] is empty")
        if self.audio is not None and len(self.audio) != len(self.prompts):
            raise ValueError(f"audio has length {len(self.audio)} but prompts has length {len(self.prompts)}")
        if self.seeds is not None:
            if len(self.seeds) != len(self.prompts):
                raise ValueError(f"seeds has length {len(self.seeds)} but prompts has length {len(self.prompts)}")
            if self.seed is not None:
                raise ValueError("give seed (one generator for the call) or seeds (one per prompt), not both")
        return self


class DecodeReq(Strict):
    ids: list[list[int]] = Field(min_length=1)
    per_token: bool = Field(False, description="also return one string per id (for token viewers)")


class ForwardDatum(Strict):
    """input_ids[i] predicts target_ids[i]; all per-token arrays have len(input_ids)."""

    input_ids: list[int] = Field(min_length=1)
    target_ids: list[int]
    weights: list[float] | None = None
    advantages: list[float] | None = None
    old_logprobs: list[float] | None = None
    returns: list[float] | None = None
    old_values: list[float] | None = None
    audio: list[AudioAt] | None = Field(None, description="audio spans of input_ids (audio models)")

    @model_validator(mode="after")
    def _lengths(self) -> ForwardDatum:
        n = len(self.input_ids)
        for name in ("target_ids", "weights", "advantages", "old_logprobs", "returns", "old_values"):
            v = getattr(self, name)
            if v is not None and len(v) != n:
                raise ValueError(f"{name} has length {len(v)} but input_ids has length {n}")
        if self.weights is not None and any(w < 0 for w in self.weights):
            raise ValueError("weights must be >= 0")
        return self


class ForwardReq(Strict):
    data: list[ForwardDatum] = Field(min_length=1)
    temperature: float = Field(1.0, gt=0)
    values: bool = False
    reference: bool = Field(False, description="also the KL reference's log-probs (for a KL penalty in the reward)")


class LossIn(Strict):
    kind: Literal["cross_entropy", "importance_sampling", "ppo"] = "cross_entropy"
    clip_low: float = Field(0.2, ge=0, lt=1)
    clip_high: float = Field(0.2, ge=0)
    dual_clip: float | None = Field(None, gt=1, description="c > 1: caps the loss at -c*A for A < 0")
    kl_coef: float = Field(0.0, ge=0)
    kl_estimator: Literal["k1", "k2", "k3"] = "k3"
    entropy_coef: float = 0.0
    value_coef: float = Field(0.0, ge=0)
    value_clip: float | None = Field(None, gt=0)
    normalize: Literal["token_mean", "sum"] = "token_mean"


class ForwardBackwardReq(Strict):
    data: list[ForwardDatum] = Field(min_length=1)
    loss: LossIn = LossIn()
    temperature: float = Field(1.0, gt=0)


class OptimStepReq(Strict):
    lr: float | None = Field(None, gt=0, description="overrides the schedule for this step")


class SaveReq(Strict):
    path: str = Field(min_length=1)
    optimizer: bool = True


class LoadReq(Strict):
    path: str = Field(min_length=1)
    optimizer: bool = True


class ExportAdapterReq(Strict):
    path: str = Field(min_length=1)


class ChatCompletionReq(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1)
    messages: list[ChatMessageIn] = Field(min_length=1)
    tools: list[ToolSpec] | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float = Field(1.0, ge=0)
    top_p: float = Field(1.0, gt=0, le=1)
    n: int = Field(1, ge=1, le=64)
    seed: int | None = None
