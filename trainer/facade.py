"""OpenAI-compatible /v1/chat/completions over a live session or a saved checkpoint.

`model` addresses what answers:
    "session:<id>"        a live session of this service (its current weights)
    "trained:<dir>"       a checkpoint directory written by /save (loaded once, then cached)
Tool calls are parsed from `<tool_call>{json}</tool_call>` into OpenAI `tool_calls`.

Token-exact trajectories (invariant 1). Every response carries vLLM's token fields, always (the
facade exists to produce them): top-level `prompt_token_ids`, per choice `token_ids` (the sampled
ids, stop token included) and `logprobs.content[] = {token, logprob, token_id, bytes, top_logprobs}`
(the token strings concatenate to the completion text; `bytes` are each token's own bytes, also
for a token holding part of a character, whose `token` is ""). A client sends the assistant messages back
as text, which may not re-encode to the sampled ids (BPE segmentation, trimmed content), so the
facade remembers, per served model, the sampled ids of each assistant message it produced (keyed
by content and each tool call's name and arguments text; an LRU of MAX_REMEMBERED) and renders
those ids when the message comes back: turn k+1's prompt starts with turn k's prompt + completion.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from typing import Any

from .chat_format import ChatRenderer, ParsedCall, assistant_key, message_key, parse_completion
from .schemas import ChatCompletionReq, ChatMessageIn, CheckpointModel, CreateSession, SampleReq
from .session import BadRequest, Session

MAX_REMEMBERED = 16384  # assistant messages per served model (a few MB of ids)


class SampledTurns:
    """Assistant message key → the completion ids sampled for it, least recently used first out."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.ids: OrderedDict[str, list[int]] = OrderedDict()

    def get(self, msg: ChatMessageIn) -> list[int] | None:
        key = message_key(msg)
        found = self.ids.get(key)
        if found is not None:
            self.ids.move_to_end(key)
        return found

    def put(self, content: str | None, calls: list[ParsedCall], ids: list[int]) -> None:
        key = assistant_key(content, [(c.name, c.arguments) for c in calls])
        self.ids[key] = ids
        self.ids.move_to_end(key)
        while len(self.ids) > self.capacity:
            self.ids.popitem(last=False)


class Facade:
    def __init__(self, sessions: dict[str, Session]) -> None:
        self.sessions = sessions
        self.checkpoints: dict[str, Session] = {}
        self.turns: dict[str, SampledTurns] = {}

    def resolve(self, model: str) -> Session:
        if model.startswith("session:"):
            sid = model.removeprefix("session:")
            if sid not in self.sessions:
                raise BadRequest(f"model {model!r}: no such session")
            return self.sessions[sid]
        if model.startswith("trained:"):
            path = model.removeprefix("trained:")
            if path not in self.checkpoints:
                try:
                    self.checkpoints[path] = Session(f"ckpt-{uuid.uuid4().hex[:8]}", CreateSession(model=CheckpointModel(checkpoint=path)))
                except (FileNotFoundError, ValueError) as e:
                    raise BadRequest(f"model {model!r}: {e}") from e
            return self.checkpoints[path]
        raise BadRequest(f"model {model!r}: expected 'session:<id>' or 'trained:<checkpoint dir>'")

    def complete(self, req: ChatCompletionReq) -> dict[str, Any]:
        s = self.resolve(req.model)
        turns = self.turns.setdefault(req.model, SampledTurns(MAX_REMEMBERED))
        prompt = s.renderer.render(req.messages, tools=req.tools, generation_prompt=True, sampled=turns.get).ids
        max_tokens = req.max_completion_tokens or req.max_tokens or 256
        groups, _ = s.sample(SampleReq(prompts=[prompt], n=req.n, max_tokens=max_tokens, temperature=req.temperature, top_p=req.top_p, seed=req.seed))
        choices = []
        for i, c in enumerate(groups[0]):
            parsed = parse_completion(s.renderer.decode(c.ids))
            content, calls = parsed.content, parsed.tool_calls
            turns.put(content, calls, c.ids)
            msg: dict[str, Any] = {"role": "assistant", "content": content}
            if calls:
                msg["tool_calls"] = [
                    {"id": f"call_{uuid.uuid4().hex[:12]}", "type": "function", "function": {"name": k.name, "arguments": k.arguments}}
                    for k in calls
                ]
            finish = "tool_calls" if calls else c.finish_reason
            choices.append({"index": i, "message": msg, "finish_reason": finish, "token_ids": c.ids, "logprobs": _logprobs(s.renderer, c.ids, c.logprobs)})
        completion_tokens = sum(len(c.ids) for c in groups[0])
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": req.model,
            "choices": choices,
            "usage": {"prompt_tokens": len(prompt), "completion_tokens": completion_tokens, "total_tokens": len(prompt) + completion_tokens},
            "prompt_token_ids": prompt,
        }


def _logprobs(renderer: ChatRenderer, ids: list[int], logprobs: list[float]) -> dict[str, Any]:
    tokens = renderer.decode_tokens(ids)
    return {
        "content": [
            {"token": t, "logprob": lp, "token_id": i, "bytes": list(renderer.token_bytes(i)), "top_logprobs": []}
            for t, lp, i in zip(tokens, logprobs, ids)
        ]
    }
