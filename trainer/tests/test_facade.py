"""The chat facade is token-exact: a conversation's prompts extend each other by what was sampled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trainer.chat_format import ParsedCall
from trainer.facade import Facade, SampledTurns
from trainer.schemas import ChatCompletionReq, ChatMessageIn, ToolSpec
from trainer.session import Session

TOOLS = [{"type": "function", "function": {"name": "get_order", "parameters": {"type": "object"}}}]


def test_three_turns_each_prompt_starts_with_the_previous_prompt_and_completion(make_session: Callable[..., Session]) -> None:
    s = make_session(seed=4)
    facade = Facade({"a": s})
    messages: list[dict[str, Any]] = [{"role": "system", "content": "You help with orders."}, {"role": "user", "content": "Where is order #W12?"}]
    previous: tuple[list[int], list[int]] | None = None
    for turn in range(3):
        # T = 1 over 12 tokens: completions are text that rarely re-encodes to the same ids, and
        # the first stops at the token limit without <|im_end|>.
        res = facade.complete(ChatCompletionReq.model_validate({"model": "session:a", "messages": messages, "tools": TOOLS, "max_tokens": 12, "temperature": 1.0, "seed": turn}))
        prompt, choice = res["prompt_token_ids"], res["choices"][0]
        ids = choice["token_ids"]
        assert len(ids) == len(choice["logprobs"]["content"]) > 0
        assert "".join(e["token"] for e in choice["logprobs"]["content"]) == s.renderer.decode(ids)
        if previous is not None:
            assert prompt[: len(previous[0]) + len(previous[1])] == previous[0] + previous[1]
        previous = (prompt, ids)
        messages += [choice["message"], {"role": "user", "content": f"Anything else? ({turn})"}]
    # Without the facade's memory the same conversation re-encodes the assistant text instead.
    msgs, tools = [ChatMessageIn.model_validate(m) for m in messages], [ToolSpec.model_validate(t) for t in TOOLS]
    plain = s.renderer.render(msgs, tools, generation_prompt=True).ids
    remembered = s.renderer.render(msgs, tools, generation_prompt=True, sampled=facade.turns["session:a"].get).ids
    assert remembered[: len(previous[0]) + len(previous[1])] == previous[0] + previous[1]
    assert plain != remembered


def test_remembered_tool_call_renders_its_sampled_ids_with_mask_one(make_session: Callable[..., Session]) -> None:
    r = make_session().renderer
    sampled = r.text("Looking.") + [r.specials["<tool_call>"], *r.text('\n{"name":"get_order","arguments":{"id":"#W12"}}\n'), r.specials["</tool_call>"], r.im_end]
    turns = SampledTurns(capacity=2)
    turns.put("Looking.", [ParsedCall("get_order", '{"id":"#W12"}')], sampled)
    call = {"id": "call_x", "type": "function", "function": {"name": "get_order", "arguments": '{"id":"#W12"}'}}
    msg = ChatMessageIn.model_validate({"role": "assistant", "content": "Looking.", "tool_calls": [call]})
    out = r.render([msg], sampled=turns.get)
    header = [r.im_start, *r.text("assistant\n")]
    assert out.ids == header + sampled and out.mask == [0] * len(header) + [1] * len(sampled)
    # Another call id is the same message; other arguments text is not.
    other = ChatMessageIn.model_validate({"role": "assistant", "content": "Looking.", "tool_calls": [{**call, "id": "call_y"}]})
    assert turns.get(other) == sampled
    changed = ChatMessageIn.model_validate({"role": "assistant", "content": "Looking.", "tool_calls": [{**call, "function": {"name": "get_order", "arguments": '{"id": "#W12"}'}}]})
    assert turns.get(changed) is None
    # Bounded: the least recently used message is forgotten first.
    turns.put("b", [], [5])
    turns.get(msg)
    turns.put("c", [], [6])
    assert turns.get(msg) == sampled and len(turns.ids) == 2


def test_tool_call_arguments_render_verbatim(make_session: Callable[..., Session]) -> None:
    r = make_session().renderer

    def rendered(args: str) -> str:
        call = {"id": "c", "type": "function", "function": {"name": "get_order", "arguments": args}}
        return r.decode(r.render([ChatMessageIn.model_validate({"role": "assistant", "content": None, "tool_calls": [call]})]).ids)

    assert '<tool_call>\n{"name": "get_order", "arguments": {"id":"#W12",  "n": 1.0}}\n</tool_call>' in rendered('{"id":"#W12",  "n": 1.0}')
    assert '{"name": "get_order", "arguments": "{not json"}' in rendered("{not json")
