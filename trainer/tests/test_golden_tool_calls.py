"""Golden tool-call parse cases, shared with the TypeScript parser: trainer/tests/golden/tool_calls.json.

Format (stable; change it only together with the TypeScript reader): a JSON array of cases

    {"name": str,              a short description (for test ids only)
     "text": str,              a completion as decoded, special tokens kept, maybe ending in <|im_end|>
     "content": str | null,    the free text
     "tool_calls": [{"name": str, "arguments": str}],
     "parsed": bool}

Rules (trainer/chat_format.py `parse_completion`):
1. One trailing "<|im_end|>" is removed; any other stays in the text.
2. A block is "<tool_call>" up to the nearest following "</tool_call>"; whitespace around the text
   between the tags is ignored.
3. A block is a call iff that text is one strict JSON object (no NaN/Infinity) whose "name" is a
   string and whose "arguments" is an object, a string, or absent; other keys are ignored, and a
   repeated key keeps its last value. "arguments" is then: an object's exact source text as the
   model wrote it (spacing, number spelling and \\u escapes kept); a string's value; "{}" if absent.
4. "content" is the text outside the call blocks, a non-call block kept verbatim, the pieces
   concatenated and stripped of leading and trailing whitespace (the cases use only space, \\n);
   null when nothing is left.
5. "parsed" is true iff every block is a call and no "<tool_call>" or "</tool_call>" occurs outside
   the blocks (an unclosed or stray tag).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.chat_format import parse_completion

CASES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "golden" / "tool_calls.json").read_text(encoding="utf-8"))


def test_the_golden_file_keeps_its_format() -> None:
    assert len(CASES) >= 25
    for c in CASES:
        assert set(c) == {"name", "text", "content", "tool_calls", "parsed"}
        assert all(set(t) == {"name", "arguments"} and isinstance(t["arguments"], str) for t in c["tool_calls"])
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert {c["parsed"] for c in CASES} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case: dict[str, Any]) -> None:
    got = parse_completion(case["text"])
    assert got.content == case["content"]
    assert [{"name": t.name, "arguments": t.arguments} for t in got.tool_calls] == case["tool_calls"]
    assert got.parsed is case["parsed"]
