"""Audio in the rendered sequence (speech user turns, docs/speech.md).

A spoken user turn renders as `<|audio_bos|>` + N × `<|AUDIO|>` + `<|audio_eos|>` (Qwen2.5-Omni's
layout), then its transcript when the caller sends one. N is what the model's audio encoder makes
of the file: Whisper log-mel frames (16 kHz, hop 160: frames = samples // 160), halved by the
stride-2 convolution and again by the pooling, N = ((frames − 1) // 2 + 1 − 2) // 2 + 1 (25 a
second). The N placeholder positions take the encoder's output in place of the token embedding.
(A placeholder id the model samples itself is an ordinary token: fed as a token embedding when it
was sampled, and so again in training.)

Audio travels by reference: render, sample, forward and forward_backward name a WAV file (`path`,
optionally its `sha256`) and the service reads it. A span is `{at, path}`: the placeholders start
at index `at` of the sequence. Each span must cover exactly one whole run of N placeholder ids (its
file's N), so a span can be neither shifted nor cut, and a sequence is trained against the
embeddings it was sampled with (token-in/token-out with audio).

The prefix KV cache and the batch's shared-prefix detection compare sequences by `keys`: the ids
with each placeholder replaced by a negative number derived from the audio's SHA-256 and its offset
in the span, so two prompts with the same placeholder ids but different audio never share K/V.
"""

from __future__ import annotations

import hashlib
import os
import wave
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

AUDIO_BOS, AUDIO_TOKEN, AUDIO_EOS = "<|audio_bos|>", "<|AUDIO|>", "<|audio_eos|>"
AUDIO_SPECIALS = (AUDIO_BOS, AUDIO_TOKEN, AUDIO_EOS)
MIN_SAMPLES_FRAMES = 3  # fewer log-mel frames give the encoder no output token


@dataclass(frozen=True)
class Span:
    """One audio span of a sequence: N placeholder ids from index `at` stand for the file's features."""

    at: int
    path: str
    sha256: str
    tokens: int


def output_tokens(frames: int) -> int:
    """Qwen2.5-Omni's audio encoder: tokens out for `frames` log-mel frames."""
    after_conv = (frames - 1) // 2 + 1
    return (after_conv - 2) // 2 + 1


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_wav(path: str, rate: int, what: str) -> np.ndarray:
    """Mono float32 samples of a PCM16 WAV at `rate` Hz; errors name `what` (the request field)."""
    try:
        with wave.open(path, "rb") as w:
            channels, width, sr, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            raw = w.readframes(n)
    except FileNotFoundError:
        raise ValueError(f"{what}: {path} does not exist") from None
    except (wave.Error, EOFError) as e:
        raise ValueError(f"{what}: {path} is not a readable WAV file ({e})") from None
    if width != 2:
        raise ValueError(f"{what}: {path} has {8 * width}-bit samples; the service reads 16-bit PCM")
    if sr != rate:
        raise ValueError(f"{what}: {path} is sampled at {sr} Hz; this model's feature extractor takes {rate} Hz")
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        x = x[: len(x) - len(x) % channels].reshape(-1, channels).mean(axis=1)
    return x


class AudioFrontend:
    """The audio side of a session whose model has an audio encoder: file → placeholder count,
    file → log-mel features, features → encoder embeddings (cached per file while the encoder is
    frozen, since its output then never changes)."""

    def __init__(self, extractor: Any, token_ids: dict[str, int], embed_cache_entries: int = 4096) -> None:
        self.extractor = extractor
        self.rate = int(extractor.sampling_rate)
        self.hop = int(extractor.hop_length)
        self.bos, self.token, self.eos = (token_ids[t] for t in AUDIO_SPECIALS)
        self._meta: dict[tuple[str, int, int], tuple[int, str]] = {}  # (path, mtime, size) → (samples, sha256)
        self._features: OrderedDict[str, torch.Tensor] = OrderedDict()
        self._embeds: OrderedDict[tuple[int, str], torch.Tensor] = OrderedDict()  # (id(encoder), sha256) → output
        self.embed_cache_entries = embed_cache_entries

    # ---- files ----------------------------------------------------------------------------

    def _stat(self, path: str, what: str) -> tuple[int, str]:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise ValueError(f"{what}: {path} does not exist") from None
        key = (os.path.realpath(path), st.st_mtime_ns, st.st_size)
        if key not in self._meta:
            try:
                with wave.open(path, "rb") as w:
                    n, width, sr = w.getnframes(), w.getsampwidth(), w.getframerate()
            except (wave.Error, EOFError) as e:
                raise ValueError(f"{what}: {path} is not a readable WAV file ({e})") from None
            if width != 2:
                raise ValueError(f"{what}: {path} has {8 * width}-bit samples; the service reads 16-bit PCM")
            if sr != self.rate:
                raise ValueError(f"{what}: {path} is sampled at {sr} Hz; this model's feature extractor takes {self.rate} Hz")
            self._meta[key] = (n, file_digest(path))
        return self._meta[key]

    def span(self, at: int, path: str, sha256: str | None, what: str) -> Span:
        """Checks the file (exists, WAV, long enough, sha256 when given) and counts its placeholders."""
        samples, digest = self._stat(path, what)
        if sha256 is not None and sha256 != digest:
            raise ValueError(f"{what}: {path} has sha256 {digest}, not {sha256} (the file changed after it was recorded)")
        frames = samples // self.hop
        if frames < MIN_SAMPLES_FRAMES:
            raise ValueError(f"{what}: {path} is too short ({samples} samples; at least {MIN_SAMPLES_FRAMES * self.hop} are needed)")
        return Span(at, path, digest, output_tokens(frames))

    def features(self, s: Span, what: str) -> torch.Tensor:
        """[mel, frames] log-mel features of the file (LRU of 256 files)."""
        f = self._features.get(s.sha256)
        if f is None:
            x = read_wav(s.path, self.rate, what)
            out = self.extractor(x, sampling_rate=self.rate, padding="do_not_pad", truncation=False, return_tensors="np")
            f = torch.from_numpy(np.asarray(out["input_features"][0], dtype=np.float32))
            if output_tokens(f.shape[-1]) != s.tokens:
                raise ValueError(f"{what}: {s.path} gave {f.shape[-1]} feature frames, expected {s.tokens} tokens' worth")
            self._features[s.sha256] = f
            while len(self._features) > 256:
                self._features.popitem(last=False)
        else:
            self._features.move_to_end(s.sha256)
        return f

    def clear(self) -> None:
        """Drops cached encoder outputs (the encoder's weights changed)."""
        self._embeds.clear()

    # ---- embeddings ---------------------------------------------------------------------------

    def embed(self, model: nn.Module, spans: list[Span], what: str, grad: bool) -> dict[str, torch.Tensor]:
        """sha256 → [tokens, hidden] encoder output for every distinct file in `spans`. One encoder
        call per file, so an utterance's embedding is a function of the file alone (whatever else
        is in the batch). A frozen encoder's outputs are cached per (encoder, file): they never
        change (a trainable one's are recomputed, with `grad` in a backward pass)."""
        lm = unwrap(model)
        tower = lm.audio_tower
        frozen = not any(p.requires_grad for p in tower.parameters())
        out: dict[str, torch.Tensor] = {}
        for s in spans:
            if s.sha256 in out:
                continue
            key = (id(tower), s.sha256)
            if frozen and key in self._embeds:
                self._embeds.move_to_end(key)
                out[s.sha256] = self._embeds[key]
                continue
            feats = self.features(s, what)
            param = next(tower.parameters())
            x = feats[None].to(device=param.device, dtype=param.dtype)
            mask = torch.ones((1, feats.shape[-1]), dtype=torch.long, device=param.device)
            with torch.set_grad_enabled(grad and not frozen):
                e = lm.get_audio_features(x, feature_attention_mask=mask, return_dict=True).last_hidden_state
            if e.shape[0] != s.tokens:
                raise ValueError(f"{what}: the audio encoder gave {e.shape[0]} tokens for {s.path}, the sequence has {s.tokens} placeholders")
            out[s.sha256] = e
            if frozen:
                self._embeds[key] = e
                while len(self._embeds) > self.embed_cache_entries:
                    self._embeds.popitem(last=False)
        return out


def unwrap(model: nn.Module) -> Any:
    """The model under a PEFT wrapper (or the model itself)."""
    get = getattr(model, "get_base_model", None)
    return get() if callable(get) else model


def check_spans(ids: list[int], spans: list[Span], placeholder: int, what: str) -> None:
    """Each span covers exactly one whole run of placeholder ids (its file's N), so a span can
    be neither shifted nor cut. A placeholder id outside every span is an ordinary token: one the
    model sampled itself, embedded as a token when it was sampled and so again when trained."""
    last_end = -1
    for j, s in enumerate(sorted(spans, key=lambda s: s.at)):
        if s.at < last_end:
            raise ValueError(f"{what}[{j}]: audio spans overlap at index {s.at}")
        end = s.at + s.tokens
        if s.at < 0 or end > len(ids):
            raise ValueError(f"{what}[{j}]: {s.tokens} audio tokens from index {s.at} run past the sequence ({len(ids)} ids)")
        if any(x != placeholder for x in ids[s.at : end]):
            raise ValueError(f"{what}[{j}]: ids {s.at}…{end - 1} are not all the audio placeholder {placeholder} ({s.tokens} expected for {s.path})")
        if (s.at > 0 and ids[s.at - 1] == placeholder) or (end < len(ids) and ids[end] == placeholder):
            raise ValueError(f"{what}[{j}]: the span {s.at}…{end - 1} ({s.path}, {s.tokens} tokens) does not cover its whole run of placeholder ids")
        last_end = end


def cache_keys(ids: list[int], spans: list[Span]) -> list[int]:
    """The ids with each placeholder replaced by −(1 + (digest · 2^16 + offset) mod 2^62): equal keys
    mean equal ids and equal audio at the same offsets, which is what makes K/V reusable."""
    keys = list(ids)
    for s in spans:
        d = int(s.sha256[:15], 16)
        for j in range(s.tokens):
            keys[s.at + j] = -(1 + ((d << 16) + j) % (1 << 62))
    return keys


# An embedding piece: row, first column, [tokens, hidden] to write there.
Piece = tuple[int, int, torch.Tensor]


def span_pieces(spans: list[list[Span]], audio: dict[str, torch.Tensor], starts: list[int] | None = None, offsets: list[int] | None = None) -> list[Piece]:
    """Where each row's audio goes in a batch tensor. Row r's sequence is fed from its index
    `starts[r]` (the rest came from the KV cache) at column `offsets[r]` (its left padding), so a
    span cut by the start contributes only its fed tail."""
    out: list[Piece] = []
    for r, row in enumerate(spans):
        start = starts[r] if starts else 0
        off = offsets[r] if offsets else 0
        for s in row:
            skip = max(0, start - s.at)
            if skip >= s.tokens:
                continue
            out.append((r, off + s.at + skip - start, audio[s.sha256][skip:]))
    return out


def embed_rows(model: nn.Module, ids: torch.Tensor, pieces: list[Piece]) -> torch.Tensor:
    """[B, L, hidden] input embeddings: the token embeddings with each piece written over its
    placeholders (out of place, so gradients reach the token embeddings and, for a trainable
    encoder, the encoder)."""
    emb = unwrap(model).get_input_embeddings()(ids)
    if not pieces:
        return emb
    mask = torch.zeros(ids.shape, dtype=torch.bool, device=ids.device)
    ordered = sorted(pieces, key=lambda p: (p[0], p[1]))
    for row, col, e in ordered:
        mask[row, col : col + e.shape[0]] = True
    # masked_scatter fills the True positions in row-major order, which is the pieces' order.
    return emb.masked_scatter(mask[..., None], torch.cat([e for _, _, e in ordered]).to(emb.dtype))
