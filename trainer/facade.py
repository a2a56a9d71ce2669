"""OpenAI-compatible /v1/chat/completions over a live session or a saved checkpoint.

`model` addresses what answers:
    "session:<id>"        a live session of this service (its current weights)
    "trained:<dir>"       a checkpoint directory written by /save (loaded once, then cached)
Tool calls are parsed from `<tool_call>{json}</tool_call>` into OpenAI `tool_calls`. Each choice
also carries `tarl: {completion_ids, logprobs}` and the response `tarl: {prompt_ids}`, so a
trajectory can keep the exact tokens (invariant 1).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from .chat_format import parse_completion
from .schemas import ChatCompletionReq, CheckpointModel, CreateSession, SampleReq
from .session import BadRequest, Session


class Facade:
    def __init__(self, sessions: dict[str, Session]) -> None:
        self.sessions = sessions
        self.checkpoints: dict[str, Session] = {}

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
        prompt = s.renderer.render(req.messages, tools=req.tools, generation_prompt=True).ids
        max_tokens = req.max_completion_tokens or req.max_tokens or 256
        groups, _ = s.sample(SampleReq(prompts=[prompt], n=req.n, max_tokens=max_tokens, temperature=req.temperature, top_p=req.top_p, seed=req.seed))
        choices = []
        for i, c in enumerate(groups[0]):
            content, calls = parse_completion(s.renderer.decode(c.ids))
            msg: dict[str, Any] = {"role": "assistant", "content": content}
            if calls:
                msg["tool_calls"] = [
                    {"id": f"call_{uuid.uuid4().hex[:12]}", "type": "function", "function": {"name": k.name, "arguments": k.arguments}}
                    for k in calls
                ]
            finish = "tool_calls" if calls else c.finish_reason
            choices.append({"index": i, "message": msg, "finish_reason": finish, "logprobs": None, "tarl": {"completion_ids": c.ids, "logprobs": c.logprobs}})
        completion_tokens = sum(len(c.ids) for c in groups[0])
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": req.model,
            "choices": choices,
            "usage": {"prompt_tokens": len(prompt), "completion_tokens": completion_tokens, "total_tokens": len(prompt) + completion_tokens},
            "tarl": {"prompt_ids": prompt},
        }
