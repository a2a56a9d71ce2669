"""ChatML rendering (messages → token ids + loss mask) and tool-call parsing.

Layout: messages are joined by "\n"; each is `<|im_start|>{role}\n{body}<|im_end|>`. The separator
belongs to the *following* message, so a sampled assistant turn ends exactly at `<|im_end|>` (the
stop token) and the next delta starts with "\n". Each segment is encoded on its own, so BPE never
merges across a boundary: render(a + b) == render(a) + render(b, continuation=True), always.

Worked example (continuation=False for the first call):
    render([system, user], generation_prompt=True) -> S · "\n" U · "\n<|im_start|>assistant\n"
    sample                                         -> A_1 … A_k <|im_end|>
    render([tool], continuation=True)              -> "\n" T   (appended; earlier ids unchanged)

Assistant tool calls render as `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`, with
the tags as special tokens. User/tool text is encoded with special-token parsing off, so text
that spells "<|im_end|>" can never forge a control token.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Any

from tokenizers import Tokenizer, decoders

from .schemas import ChatMessageIn, ToolCallIn, ToolSpec


@dataclass
class Rendered:
    ids: list[int]
    # 1 where the token is agent-generated (assistant body and its <|im_end|>), else 0.
    mask: list[int]


class ChatRenderer:
    def __init__(self, tok: Tokenizer) -> None:
        self.tok = tok
        self.specials = {}
        for name in ("<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"):
            tid = tok.token_to_id(name)
            if tid is None:
                raise ValueError(f"tokenizer lacks the special token {name}")
            self.specials[name] = tid
        self.im_start = self.specials["<|im_start|>"]
        self.im_end = self.specials["<|im_end|>"]

    def text(self, s: str) -> list[int]:
        if not s:
            return []
        self.tok.encode_special_tokens = True  # text never becomes control tokens
        try:
            return list(self.tok.encode(s, add_special_tokens=False).ids)
        finally:
            self.tok.encode_special_tokens = False

    def _tool_call(self, call: ToolCallIn) -> list[int]:
        try:
            args: Any = json.loads(call.function.arguments)
        except json.JSONDecodeError:
            args = call.function.arguments  # keep what the model wrote; never drop it
        body = json.dumps({"name": call.function.name, "arguments": args}, ensure_ascii=False)
        return [self.specials["<tool_call>"], *self.text("\n" + body + "\n"), self.specials["</tool_call>"]]

    def _system_with_tools(self, content: str, tools: list[ToolSpec]) -> str:
        lines = [json.dumps(t.model_dump(exclude_none=True), ensure_ascii=False) for t in tools]
        return (
            f"{content}\n\n# Tools\n\nYou may call one or more functions. Available tools:\n"
            + "\n".join(lines)
            + '\n\nFor each call, output <tool_call>{"name": <name>, "arguments": <args>}</tool_call>.'
        ).lstrip("\n")

    def message(self, msg: ChatMessageIn, first: bool, tools: list[ToolSpec] | None) -> Rendered:
        lead = [] if first else self.text("\n")
        header = [self.im_start, *self.text(f"{msg.role}\n")]
        content = msg.content or ""
        if msg.role == "system" and tools:
            content = self._system_with_tools(content, tools)
        body = self.text(content)
        for i, call in enumerate(msg.tool_calls or []):
            sep = self.text("\n") if (body or i > 0) else []
            body = [*body, *sep, *self._tool_call(call)]
        trainable = 1 if msg.role == "assistant" else 0
        ids = [*lead, *header, *body, self.im_end]
        mask = [0] * (len(lead) + len(header)) + [trainable] * (len(body) + 1)
        return Rendered(ids, mask)

    def render(
        self,
        messages: list[ChatMessageIn],
        tools: list[ToolSpec] | None = None,
        generation_prompt: bool = False,
        continuation: bool = False,
    ) -> Rendered:
        """continuation=True: the messages follow an already rendered prefix (a delta)."""
        if tools and not continuation and (not messages or messages[0].role != "system"):
            messages = [ChatMessageIn(role="system", content=""), *messages]
        ids: list[int] = []
        mask: list[int] = []
        for i, msg in enumerate(messages):
            r = self.message(msg, first=(i == 0 and not continuation), tools=tools if i == 0 else None)
            ids += r.ids
            mask += r.mask
        if generation_prompt:
            lead = [] if (not ids and not continuation) else self.text("\n")
            prompt = [*lead, self.im_start, *self.text("assistant\n")]
            ids += prompt
            mask += [0] * len(prompt)
        return Rendered(ids, mask)

    def decode(self, ids: list[int]) -> str:
        return str(self.tok.decode(ids, skip_special_tokens=False))

    def decode_tokens(self, ids: list[int]) -> list[str]:
        """One string per id for token viewers. With a byte-level tokenizer (ours, Qwen's) the
        strings concatenate to decode(ids) exactly: a character split over several tokens belongs
        to the token holding its last byte (the others show ""). Other tokenizers: each id decoded
        alone."""
        if not isinstance(self.tok.decoder, decoders.ByteLevel):
            return [str(self.tok.decode([i], skip_special_tokens=False)) for i in ids]
        added = {i: t.content for i, t in self.tok.get_added_tokens_decoder().items()}
        utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        out: list[str] = []
        for i in ids:
            if i in added:
                raw = added[i].encode()
            else:
                piece = self.tok.id_to_token(i)
                raw = bytes(_BYTE_OF[ch] for ch in piece) if piece is not None else b""
            out.append(utf8.decode(raw))
        if out:
            out[-1] += utf8.decode(b"", final=True)  # a dangling partial character
        return out


def _byte_level_alphabet() -> dict[str, int]:
    """GPT-2's bytes_to_unicode, inverted: the printable character standing for each byte."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, extra = {b: b for b in keep}, 0
    for b in range(256):
        if b not in chars:
            chars[b] = 256 + extra
            extra += 1
    return {chr(c): b for b, c in chars.items()}


_BYTE_OF = _byte_level_alphabet()


_CALL_RE = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.DOTALL)


@dataclass
class ParsedCall:
    name: str
    arguments: str  # JSON text, as OpenAI's `function.arguments`


def parse_completion(text: str) -> tuple[str | None, list[ParsedCall]]:
    """Splits a completion into free text and tool calls; malformed calls stay in the text."""
    text = text.removesuffix("<|im_end|>")
    calls: list[ParsedCall] = []
    kept: list[str] = []
    last = 0
    for m in _CALL_RE.finditer(text):
        try:
            obj = json.loads(m.group(1))
        except json.JSONDecodeError:
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
            continue
        args = obj.get("arguments", {})
        calls.append(ParsedCall(obj["name"], args if isinstance(args, str) else json.dumps(args)))
        kept.append(text[last : m.start()])
        last = m.end()
    kept.append(text[last:])
    content = "".join(kept).strip()
    return (content or None), calls
