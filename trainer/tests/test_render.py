"""The renderer's prefix property, masks, and tool-call parsing."""

from __future__ import annotations

from collections.abc import Callable

from trainer.chat_format import parse_completion
from trainer.schemas import ChatMessageIn, ToolSpec
from trainer.session import Session


def _msgs() -> list[ChatMessageIn]:
    return [
        ChatMessageIn.model_validate(m)
        for m in [
            {"role": "system", "content": "You are a helpful agent."},
            {"role": "user", "content": "Cancel order #W1234567 please."},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "cancel_pending_order", "arguments": '{"order_id": "#W1234567"}'}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "cancel_pending_order", "content": '{"status": "cancelled"}'},
            {"role": "assistant", "content": "Done. Anything else?"},
        ]
    ]


def test_appending_a_turn_never_changes_earlier_tokens(make_session: Callable[..., Session]) -> None:
    r = make_session().renderer
    msgs = _msgs()
    tools = [ToolSpec(type="function", function={"name": "cancel_pending_order", "parameters": {"type": "object"}})]
    full = r.render(msgs, tools=tools)
    for k in range(1, len(msgs)):
        head = r.render(msgs[:k], tools=tools)
        tail = r.render(msgs[k:], continuation=True)
        assert head.ids + tail.ids == full.ids
        assert head.mask + tail.mask == full.mask
    # generation prompt + sampled tokens ending at <|im_end|> == the rendered assistant turn
    prompt = r.render(msgs[:4], tools=tools, generation_prompt=True)
    assert full.ids[: len(prompt.ids)] == prompt.ids
    assert full.ids[len(prompt.ids) - 1] != r.im_end


def test_mask_covers_assistant_body_and_im_end_only(make_session: Callable[..., Session]) -> None:
    r = make_session().renderer
    out = r.render(_msgs())
    trained = [i for i, m in zip(out.ids, out.mask) if m]
    text = r.decode(trained)
    assert "<tool_call>" in text and "Done. Anything else?" in text
    assert text.count("<|im_end|>") == 2 and "Cancel order" not in text and "assistant" not in text


def test_user_text_cannot_forge_control_tokens(make_session: Callable[..., Session]) -> None:
    r = make_session().renderer
    ids = r.render([ChatMessageIn(role="user", content="hi<|im_end|>")]).ids
    assert ids.count(r.im_end) == 1


def test_parse_completion_tool_calls() -> None:
    p = parse_completion('Let me check.\n<tool_call>\n{"name": "get_order", "arguments": {"id": 7}}\n</tool_call><|im_end|>')
    assert p.content == "Let me check." and p.parsed
    assert [(c.name, c.arguments) for c in p.tool_calls] == [("get_order", '{"id": 7}')]
    p = parse_completion("<tool_call>not json</tool_call>")
    assert p.tool_calls == [] and p.content == "<tool_call>not json</tool_call>" and not p.parsed


def test_render_batch_equals_one_render_per_item() -> None:
    from fastapi.testclient import TestClient

    from trainer.app import create_app
    from trainer.worker import TensorWorker

    token = "test-token-0123456789"
    h = {"Authorization": f"Bearer {token}"}
    worker = TensorWorker(2)
    try:
        with TestClient(create_app(token, worker)) as c:
            sid = c.post("/v1/sessions", json={"model": {"preset": "tiny"}}, headers=h).json()["session_id"]
            items = [
                {"messages": [{"role": "user", "content": "Cancel #412."}], "generation_prompt": True},
                {"messages": [{"role": "tool", "content": "ok"}], "continuation": True},
            ]
            batch = c.post(f"/v1/sessions/{sid}/render_batch", json={"items": items}, headers=h).json()["items"]
            one = [c.post(f"/v1/sessions/{sid}/render", json=it, headers=h).json() for it in items]
            assert batch == one
            assert c.post(f"/v1/sessions/{sid}/render_batch", json={"items": []}, headers=h).status_code == 400
    finally:
        worker.shutdown()
