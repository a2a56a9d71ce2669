"""Byte-level BPE tokenizers: the tiny preset's (trained on our corpus, cached by its hash) and
ones trained on request on a caller's texts (POST /v1/tokenizers)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from typing import Any

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers

from .corpus import build_corpus

# ChatML markers and tool-call tags are single special tokens, so rendering never merges them
# with neighbouring text and the model can learn to emit <|im_end|> as one token.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"]
TOKENIZER_VERSION = "1"


def cache_dir() -> Path:
    root = os.environ.get("TARL_CACHE_DIR") or str(Path(__file__).resolve().parent.parent / ".cache")
    return Path(root) / "tarl" / "tokenizers"


def _train(corpus: list[str], vocab_size: int, split_digits: bool = False) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False)
    # Each digit its own token (as Qwen's and Llama's tokenizers do): a number then reads the same
    # wherever it stands — `"amount": 127` and "refund: $127" share the tokens 1, 2, 7 — so
    # quoting it is a token-by-token copy; merged, " 127" and "$127" began with different tokens.
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), byte_level]) if split_digits else byte_level
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    return tok


def tiny_tokenizer(vocab_size: int = 1024) -> Tokenizer:
    """Loads the cached tokenizer for this corpus, training it on first use (~1 s)."""
    corpus = build_corpus()
    h = hashlib.sha256()
    h.update(f"{TOKENIZER_VERSION}:{vocab_size}:".encode())
    for doc in corpus:
        h.update(doc.encode())
    path = cache_dir() / h.hexdigest()[:16] / "tokenizer.json"
    if path.exists():
        return Tokenizer.from_file(str(path))
    tok = _train(corpus, vocab_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tok.save(str(tmp))
    os.replace(tmp, path)  # atomic, so concurrent test workers never read a half-written file
    return tok


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_tokenizer(texts: list[str], vocab_size: int, added_tokens: list[str], out: str, split_digits: bool = False) -> dict[str, Any]:
    """Trains like the tiny preset (same special tokens) on `texts` and writes out/tokenizer.json
    atomically. Each added token becomes one non-special id that is never split and matches only
    as a whole word (`#412` in "#412." or "(#412)", not in "#4123" or "a#412"): record ids such as
    `#412` or `u17` then cost one token each; `split_digits` makes every other digit one token.
    The same input gives the same file."""
    tok = _train(texts, vocab_size, split_digits)
    tok.add_tokens([AddedToken(t, single_word=True, normalized=False) for t in added_tokens])
    path = Path(out) / "tokenizer.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tok.save(str(tmp))
    os.replace(tmp, path)
    return {"path": str(path.resolve()), "vocab_size": tok.get_vocab_size(), "sha256": file_sha256(path)}
