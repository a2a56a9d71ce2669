"""A request's audio as model inputs: spans checked against the token ids, encoder outputs, and the
input embeddings with the audio written in. Request errors become `BadRequest` (HTTP 400)."""

from __future__ import annotations

import torch
from torch import nn

from .audio import AudioFrontend, Span, check_spans, embed_rows, span_pieces
from .batch import Batch
from .errors import BadRequest
from .schemas import AudioAt


def request_spans(fe: AudioFrontend | None, audio: list[list[AudioAt] | None], rows: list[list[int]], what: str) -> list[list[Span]] | None:
    """Each row's audio spans, checked against its ids (None: no audio anywhere)."""
    given = any(a for a in audio)
    if fe is None:
        if given:
            raise BadRequest(f"{what}: this session's model takes no audio (create it with an audio model, e.g. preset tiny-omni)")
        return None
    if not given:
        return None
    out: list[list[Span]] = []
    for i, (row_audio, ids) in enumerate(zip(audio, rows)):
        where = f"{what}[{i}].audio" if what == "data" else f"audio[{i}]"
        try:
            spans = [fe.span(a.at, a.path, a.sha256, f"{where}[{j}]") for j, a in enumerate(row_audio or [])]
            check_spans(ids, spans, fe.token, where)
        except ValueError as e:
            raise BadRequest(str(e)) from e
        out.append(spans)
    return out


def audio_embeds(fe: AudioFrontend | None, model: nn.Module, spans: list[list[Span]], grad: bool) -> dict[str, torch.Tensor]:
    """The encoder's output for every span, keyed as `span_pieces` reads them."""
    assert fe is not None
    try:
        return fe.embed(model, [s for row in spans for s in row], "audio", grad)
    except ValueError as e:
        raise BadRequest(str(e)) from e


def batch_inputs_embeds(fe: AudioFrontend | None, model: nn.Module, b: Batch, grad: bool) -> torch.Tensor | None:
    """The batch's input embeddings with audio written in, or None for a text batch."""
    if b.spans is None or not any(b.spans):
        return None
    return embed_rows(model, b.input_ids, span_pieces(b.spans, audio_embeds(fe, model, b.spans, grad)))
