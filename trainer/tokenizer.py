"""The tiny preset's byte-level BPE tokenizer, trained on our corpus and cached by its hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from .corpus import build_corpus

# ChatML markers and tool-call tags are single special tokens, so rendering never merges them
# with neighbouring text and the model can learn to emit <|im_end|> as one token.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"]
TOKENIZER_VERSION = "1"


def cache_dir() -> Path:
    root = os.environ.get("TARL_CACHE_DIR") or str(Path(__file__).resolve().parent.parent / ".cache")
    return Path(root) / "tarl" / "tokenizers"


def _train(corpus: list[str], vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
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
