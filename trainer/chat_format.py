"""ChatML rendering (messages → token ids + loss mask) and tool-call parsing.

Layout: messages are joined by "\n"; each is `<|im_start|>{role}\n{body}<|im_end|>`. The separator
belongs to the *following* message, so a sampled assistant turn ends exactly at `<|im_end|>` (the
stop token) and the next delta starts with "\n". Each segment is encoded on its own, so BPE never
merges across a boundary: render(a + b) == render(a) + render(b, continuation=True), always.

Worked example (continuation=False for the first call):
    render([system, user], generation_prompt=True) -> S · "\n" U · "\n<|im_start|>assistant\n"
    sample                                         -> A_1 … A_k <|im_end|>
    render([tool], continuation=True)              -> "\n" T   (appended; earlier ids unchanged)

Assistant tool calls render as `<tool_call>\n{"name": …, "arguments": …}\n</tool_call>`, with
the tags as special tokens and the arguments text verbatim (no JSON round trip, so what the model
wrote is what it sees again). User/tool text is encoded with special-token parsing off, so text
that spells "<|im_end|>" can never forge a control token.

Token exactness across turns: a sampled turn's ids need not be the ids its text would encode to
(BPE may segment the same text differently), and parse_completion trims the text. A caller that
knows the sampled ids of an assistant message passes `sampled` to render(), which then renders
those ids as the message body, so turn k+1's prompt starts with turn k's prompt + completion.
"""

from __future__ import annotations

import codecs
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tokenizers import Tokenizer, decoders

from .audio import Span
from .schemas import ChatMessageIn, ToolCallIn, ToolSpec

if TYPE_CHECKING:
    from .audio import AudioFrontend


@dataclass
class Rendered:
    ids: list[int]
    # 1 where the token is agent-generated (assistant body and its <|im_end|>), else 0.
    mask: list[int]
    # Spoken user turns (audio models): where each file's placeholder ids start in `ids`.
    audio: list[Span] = field(default_factory=list)


# The sampled completion ids of an assistant message, or None when unknown (render its text).
Sampled = Callable[[ChatMessageIn], list[int] | None]


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def assistant_key(content: str | None, calls: list[tuple[str, str]]) -> str:
    """Identifies an assistant message by what a client sends back: its content and each tool
    call's name and arguments text (call ids are made up per response, so they are left out)."""
    return json.dumps([content or "", calls], ensure_ascii=False)


def message_key(msg: ChatMessageIn) -> str:
    return assistant_key(msg.content, [(c.function.name, c.function.arguments) for c in msg.tool_calls or []])


@dataclass(frozen=True)
class Special:
    """A control token (`<|im_start|>`, `<|im_end|>`, `<tool_call>`, `</tool_call>`) in a segment list."""

    name: str


# What a message renders to before tokenisation: text pieces (each encoded on its own) and specials.
Segment = str | Special


def header_segments(role: str) -> list[Segment]:
    return [Special("<|im_start|>"), f"{role}\n"]


def _system_with_tools(content: str, tools: list[ToolSpec]) -> str:
    lines = [json.dumps(t.model_dump(exclude_none=True), ensure_ascii=False) for t in tools]
    return (
        f"{content}\n\n# Tools\n\nYou may call one or more functions. Available tools:\n"
        + "\n".join(lines)
        + '\n\nFor each call, output <tool_call>{"name": <name>, "arguments": <args>}</tool_call>.'
    ).lstrip("\n")


def _tool_call_segments(call: ToolCallIn) -> list[Segment]:
    args = call.function.arguments
    if not _is_json(args):
        args = json.dumps(args, ensure_ascii=False)  # keep what the model wrote, as a JSON string
    body = '{"name": ' + json.dumps(call.function.name, ensure_ascii=False) + ', "arguments": ' + args + "}"
    return [Special("<tool_call>"), "\n" + body + "\n", Special("</tool_call>")]


def body_segments(msg: ChatMessageIn, tools: list[ToolSpec] | None) -> list[Segment]:
    content = msg.content or ""
    if msg.role == "system" and tools:
        content = _system_with_tools(content, tools)
    out: list[Segment] = [content] if content else []
    for i, call in enumerate(msg.tool_calls or []):
        if content or i > 0:
            out.append("\n")
        out += _tool_call_segments(call)
    return out


def conversation_text(messages: list[ChatMessageIn], tools: list[ToolSpec] | None = None) -> str:
    """The text a conversation renders to (the segments joined, specials spelled out): what a
    tokenizer for this chat format is trained on. decode(render(messages).ids) gives it back."""
    if tools and (not messages or messages[0].role != "system"):
        messages = [ChatMessageIn(role="system", content=""), *messages]
    parts: list[str] = []
    for i, msg in enumerate(messages):
        segs: list[Segment] = ([] if i == 0 else ["\n"]) + header_segments(msg.role) + body_segments(msg, tools if i == 0 else None) + [Special("<|im_end|>")]
        parts += [x.name if isinstance(x, Special) else x for x in segs]
    return "".join(parts)


class ChatRenderer:
    def __init__(self, tok: Tokenizer, audio: AudioFrontend | None = None) -> None:
        self.tok = tok
        # Audio-capable models: a user message with `audio` renders its placeholders (audio.py).
        self.audio = audio
        self.specials = {}
        for name in ("<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"):
            tid = tok.token_to_id(name)
            if tid is None:
                raise ValueError(f"tokenizer lacks the special token {name}")
            self.specials[name] = tid
        self.im_start = self.specials["<|im_start|>"]
        self.im_end = self.specials["<|im_end|>"]
        self._byte_level = isinstance(tok.decoder, decoders.ByteLevel)
        self._lock = threading.Lock()
        self._added = {i: t.content for i, t in tok.get_added_tokens_decoder().items()}

    def text(self, s: str) -> list[int]:
        if not s:
            return []
        # The flag is the tokenizer's, shared by the service's threads: set and use it under a lock.
        with self._lock:
            self.tok.encode_special_tokens = True  # text never becomes control tokens
            try:
                return list(self.tok.encode(s, add_special_tokens=False).ids)
            finally:
                self.tok.encode_special_tokens = False

    def message(self, msg: ChatMessageIn, first: bool, tools: list[ToolSpec] | None, sampled: Sampled | None = None, what: str = "message") -> Rendered:
        lead = [] if first else self.text("\n")
        header = self.encode(header_segments(msg.role))
        known = sampled(msg) if sampled is not None and msg.role == "assistant" else None
        spans: list[Span] = []
        if known is not None:
            # The ids the model produced; a stopped turn already ends in <|im_end|>.
            body = known[:-1] if known and known[-1] == self.im_end else list(known)
        elif msg.audio is not None:
            if self.audio is None:
                raise ValueError(f"{what}.audio: this session's model takes no audio (create the session with an audio model, e.g. preset tiny-omni)")
            span = self.audio.span(len(lead) + len(header) + 1, msg.audio.path, msg.audio.sha256, f"{what}.audio")
            spans.append(span)
            body = [self.audio.bos, *([self.audio.token] * span.tokens), self.audio.eos, *self.text(msg.content or "")]
        else:
            body = self._body(msg, tools)
        trainable = 1 if msg.role == "assistant" else 0
        ids = [*lead, *header, *body, self.im_end]
        mask = [0] * (len(lead) + len(header)) + [trainable] * (len(body) + 1)
        return Rendered(ids, mask, spans)

    def _body(self, msg: ChatMessageIn, tools: list[ToolSpec] | None) -> list[int]:
        return self.encode(body_segments(msg, tools))

    def encode(self, segments: list[Segment]) -> list[int]:
        """Each text segment encoded on its own (no BPE merge across a boundary); specials as ids."""
        out: list[int] = []
        for seg in segments:
            out += [self.specials[seg.name]] if isinstance(seg, Special) else self.text(seg)
        return out

    def render(
        self,
        messages: list[ChatMessageIn],
        tools: list[ToolSpec] | None = None,
        generation_prompt: bool = False,
        continuation: bool = False,
        sampled: Sampled | None = None,
    ) -> Rendered:
        """continuation=True: the messages follow an already rendered prefix (a delta).
        sampled(msg): the ids sampled for an assistant message, or None to render its text."""
        if tools and not continuation and (not messages or messages[0].role != "system"):
            messages = [ChatMessageIn(role="system", content=""), *messages]
        ids: list[int] = []
        mask: list[int] = []
        spans: list[Span] = []
        for i, msg in enumerate(messages):
            r = self.message(msg, first=(i == 0 and not continuation), tools=tools if i == 0 else None, sampled=sampled, what=f"messages[{i}]")
            spans += [replace(s, at=s.at + len(ids)) for s in r.audio]
            ids += r.ids
            mask += r.mask
        if generation_prompt:
            lead = [] if (not ids and not continuation) else self.text("\n")
            prompt = [*lead, *self.encode(header_segments("assistant"))]
            ids += prompt
            mask += [0] * len(prompt)
        return Rendered(ids, mask, spans)

    def decode(self, ids: list[int]) -> str:
        return str(self.tok.decode(ids, skip_special_tokens=False))

    def decode_tokens(self, ids: list[int]) -> list[str]:
        """One string per id for token viewers. With a byte-level tokenizer (ours, Qwen's) the
        strings concatenate to decode(ids) exactly: a character split over several tokens belongs
        to the token holding its last byte (the others show ""). Other tokenizers: each id decoded
        alone."""
        if not self._byte_level:
            return [str(self.tok.decode([i], skip_special_tokens=False)) for i in ids]
        utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        out = [utf8.decode(self.token_bytes(i)) for i in ids]
        if out:
            out[-1] += utf8.decode(b"", final=True)  # a dangling partial character
        return out

    def token_bytes(self, i: int) -> bytes:
        """The bytes one id stands for (byte-level tokenizers; others: its text decoded alone)."""
        if i in self._added:
            return self._added[i].encode()
        if not self._byte_level:
            return str(self.tok.decode([i], skip_special_tokens=False)).encode()
        piece = self.tok.id_to_token(i)
        return bytes(_BYTE_OF[ch] for ch in piece) if piece is not None else b""


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
_WS = " \t\n\r"  # JSON's whitespace
_DECODER = json.JSONDecoder()


@dataclass
class ParsedCall:
    name: str
    arguments: str  # JSON text, as OpenAI's `function.arguments`


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _members(text: str) -> dict[str, tuple[Any, str]] | None:
    """A JSON object's members as key → (value, the value's exact source text); None when `text`
    is not one JSON object. Strict JSON (NaN and Infinity are refused, as JavaScript's JSON.parse
    does); like json.loads, a repeated key keeps its last value."""
    try:
        obj = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError:
        return None
    if not isinstance(obj, dict):
        return None
    spans: dict[str, str] = {}
    i = len(text) - len(text.lstrip(_WS)) + 1  # past "{"
    while True:
        while text[i] in _WS + ",":
            i += 1
        if text[i] == "}":
            break
        key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        while text[i] in _WS + ":":
            i += 1
        _, end = _DECODER.raw_decode(text, i)
        spans[key] = text[i:end]
        i = end
    return {k: (v, spans[k]) for k, v in obj.items()}


def _call(body: str) -> ParsedCall | None:
    """A tool call from the text between the tags: a JSON object with a string `name` and
    `arguments` an object (kept as the model wrote it), a string (its value is the JSON text, as
    in OpenAI's API) or absent ("{}"); None otherwise."""
    members = _members(body)
    if members is None or not isinstance(members.get("name", (None, ""))[0], str):
        return None
    args, raw = members.get("arguments", ({}, "{}"))
    if isinstance(args, dict):
        return ParsedCall(members["name"][0], raw)
    if isinstance(args, str):
        return ParsedCall(members["name"][0], args)
    return None


@dataclass
class ParsedCompletion:
    content: str | None  # the text outside tool calls, stripped; None when empty
    tool_calls: list[ParsedCall]
    # Every <tool_call>…</tool_call> block is a call and no unmatched tag remains.
    parsed: bool


def parse_completion(text: str) -> ParsedCompletion:
    """Splits a completion (as decoded, maybe ending in <|im_end|>) into free text and tool calls.
    A block that is not a call stays in the text verbatim. The golden cases in
    tests/golden/tool_calls.json pin this down (the TypeScript parser reads the same file)."""
    text = text.removesuffix("<|im_end|>")
    calls: list[ParsedCall] = []
    content: list[str] = []
    outside: list[str] = []  # text outside every block: an unmatched tag here means not parsed
    ok = True
    last = 0
    for m in _CALL_RE.finditer(text):
        outside.append(text[last : m.start()])
        content.append(text[last : m.start()])
        call = _call(m.group(1))
        if call is None:
            ok = False
            content.append(m.group(0))
        else:
            calls.append(call)
        last = m.end()
    outside.append(text[last:])
    content.append(text[last:])
    rest = "".join(outside)
    ok = ok and "<tool_call>" not in rest and "</tool_call>" not in rest
    joined = "".join(content).strip()
    return ParsedCompletion(joined or None, calls, ok)
