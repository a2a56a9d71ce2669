"""Tokenizers trained on our texts (deterministic, record ids as single tokens) and scratch models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trainer import checkpoint
from trainer.app import create_app
from trainer.schemas import ChatMessageIn, ForwardBackwardReq, ForwardDatum, ForwardReq
from trainer.session import Session
from trainer.tokenizer import train_tokenizer
from trainer.worker import TensorWorker

TEXTS = [
    "Order #412 for user u17 was shipped. Order #977 is pending.",
    "Please cancel #412. The user u17 wants a refund for #977!",
    "The quick brown fox jumps over the lazy dog; tool results follow.",
] * 20
IDS = ["#412", "#977", "u17"]
SHAPE = {"layers": 2, "hidden": 32, "heads": 4, "kv_heads": 2, "max_positions": 256}
TOKEN = "test-token-0123456789"
H = {"Authorization": f"Bearer {TOKEN}"}


def test_training_is_deterministic_over_http(tmp_path: Path) -> None:
    worker = TensorWorker(2)
    try:
        with TestClient(create_app(TOKEN, worker)) as c:
            body = {"texts": TEXTS, "vocab_size": 320, "added_tokens": IDS}
            a = c.post("/v1/tokenizers", json={**body, "out": str(tmp_path / "a")}, headers=H).json()
            b = c.post("/v1/tokenizers", json={**body, "out": str(tmp_path / "b")}, headers=H).json()
            assert a["sha256"] == b["sha256"] and a["vocab_size"] == b["vocab_size"] <= 320 + len(IDS)
            assert a["path"] == str((tmp_path / "a" / "tokenizer.json").resolve()) and Path(a["path"]).exists()
            assert not list((tmp_path / "a").glob("*.tmp"))  # written atomically, nothing left over
            other = c.post("/v1/tokenizers", json={**body, "added_tokens": IDS[:2], "out": str(tmp_path / "c")}, headers=H).json()
            assert other["sha256"] != a["sha256"]
            r = c.post("/v1/tokenizers", json={**body, "added_tokens": ["#412", "#412"], "out": str(tmp_path / "d")}, headers=H)
            assert r.status_code == 400 and "added_tokens[1]" in r.json()["error"]["message"]
            r = c.post("/v1/tokenizers", json={**body, "vocab_size": 100, "out": str(tmp_path / "d")}, headers=H)
            assert r.status_code == 400 and "vocab_size" in r.json()["error"]["message"]
            bad = {"model": {"scratch": {**SHAPE, "heads": 3}, "tokenizer": str(tmp_path / "a")}}
            r = c.post("/v1/sessions", json=bad, headers=H)
            assert r.status_code == 400 and "must be a multiple of heads" in r.json()["error"]["message"]
            missing = {"model": {"scratch": SHAPE, "tokenizer": str(tmp_path / "nowhere")}}
            r = c.post("/v1/sessions", json=missing, headers=H)
            assert r.status_code == 400 and "tokenizer.json not found" in r.json()["error"]["message"]
    finally:
        worker.shutdown()


@pytest.fixture
def tok_dir(tmp_path: Path) -> Path:
    train_tokenizer(TEXTS, 320, IDS, str(tmp_path / "tok"))
    return tmp_path / "tok"


def test_split_digits_reads_a_number_the_same_in_a_record_and_in_prose(tmp_path: Path) -> None:
    from tokenizers import Tokenizer

    texts = ['{"order_id": "#412", "amount": 127}', "Return #412 (refund: $127)? Refund of $95 for u17."] * 40
    merged = Tokenizer.from_file(train_tokenizer(texts, 320, IDS, str(tmp_path / "m"))["path"])
    split = Tokenizer.from_file(train_tokenizer(texts, 320, IDS, str(tmp_path / "s"), split_digits=True)["path"])

    def number(tok: Tokenizer, text: str) -> list[str]:
        return [t for t in tok.encode(text).tokens if any(ch.isdigit() for ch in t)]

    # Merged digits: the record's " 127" and the prose's "$127" do not share their tokens.
    assert number(merged, '"amount": 127') != number(merged, "refund: $127")
    assert number(split, '"amount": 127') == number(split, "refund: $127") == ["1", "2", "7"]
    # Added ids stay whole; a digit run outside them is one token per digit.
    assert split.encode("#412 u17 #4123").tokens[:3] == ["#412", "Ġ", "u17"]
    assert "".join(split.decode(split.encode("paid $95 for #412").ids)) == "paid $95 for #412"


def _scratch(make_session: Callable[..., Session], tok_dir: Path, **kw: object) -> Session:
    return make_session(model={"scratch": SHAPE, "tokenizer": str(tok_dir)}, **kw)


def test_added_tokens_are_single_ids_even_next_to_punctuation(make_session: Callable[..., Session], tok_dir: Path) -> None:
    s = _scratch(make_session, tok_dir)
    r = s.renderer
    one = {t: r.text(t) for t in IDS}
    assert all(len(ids) == 1 for ids in one.values())
    assert r.text("#412.") == one["#412"] + r.text(".")
    assert r.text("(u17)") == r.text("(") + one["u17"] + r.text(")")
    assert one["#977"][0] in r.text("cancel #977, then #412!")
    # Only whole words: inside a longer word or number the id is not used.
    assert one["#412"][0] not in r.text("#4123") and one["u17"][0] not in r.text("u175 xu17")
    # Non-special: they render inside user text, where control tokens never do.
    ids = r.render([ChatMessageIn(role="user", content="refund #412<|im_end|>")]).ids
    assert one["#412"][0] in ids and ids.count(r.im_end) == 1
    assert r.decode(r.text("Order #412.")) == "Order #412."


@pytest.mark.parametrize("lora", [None, {"rank": 4}])
def test_scratch_session_save_load_round_trip(make_session: Callable[..., Session], tok_dir: Path, tmp_path: Path, lora: dict[str, int] | None) -> None:
    a = _scratch(make_session, tok_dir, seed=7, lora=lora, optimizer={"lr": 1e-2})
    assert a.origin["tokenizer_sha256"] and a.origin["seed"] == 7 and a.origin["scratch"]["hidden"] == 32
    seq = a.renderer.text("Order #412 for user u17 was shipped.")
    d = ForwardDatum(input_ids=seq[:-1], target_ids=seq[1:])
    for _ in range(2):
        a.forward_backward(ForwardBackwardReq(data=[d]))
        a.optim_step(None)
    checkpoint.save(a, str(tmp_path / "ck"), with_optimizer=True)
    b = make_session(model={"checkpoint": str(tmp_path / "ck")})
    assert b.forward(ForwardReq(data=[d]))["logprobs"] == a.forward(ForwardReq(data=[d]))["logprobs"]
    assert b.renderer.text("#412.") == a.renderer.text("#412.")
    # A session of the same scratch spec loads the checkpoint in place (LoRA: the same base).
    c = _scratch(make_session, tok_dir, seed=7, lora=lora, optimizer={"lr": 1e-2})
    checkpoint.load(c, str(tmp_path / "ck"), with_optimizer=True)
    assert c.forward(ForwardReq(data=[d]))["logprobs"] == a.forward(ForwardReq(data=[d]))["logprobs"] and c.step == 2


def test_lora_checkpoint_refuses_a_changed_tokenizer(make_session: Callable[..., Session], tok_dir: Path, tmp_path: Path) -> None:
    a = _scratch(make_session, tok_dir, lora={"rank": 4})
    checkpoint.save(a, str(tmp_path / "ck"), with_optimizer=False)
    train_tokenizer(TEXTS[:3], 300, [], str(tok_dir))  # the same directory, other contents
    with pytest.raises(ValueError, match="tokenizer sha256"):
        make_session(model={"checkpoint": str(tmp_path / "ck")})
    with pytest.raises(ValueError, match="base"):  # in place: this base's origin differs
        checkpoint.load(_scratch(make_session, tok_dir, lora={"rank": 4}), str(tmp_path / "ck"), with_optimizer=False)


def test_conversations_train_in_the_chat_format(tmp_path: Path) -> None:
    from trainer.chat_format import ChatRenderer, conversation_text
    from trainer.schemas import ToolSpec
    from tokenizers import Tokenizer

    msgs = [
        ChatMessageIn(role="system", content="Be brief."),
        ChatMessageIn(role="user", content="Cancel #412 please."),
        ChatMessageIn.model_validate({"role": "assistant", "content": None, "tool_calls": [{"id": "c", "function": {"name": "cancel", "arguments": '{"order_id": "#412"}'}}]}),
        ChatMessageIn(role="tool", content='{"status": "cancelled"}'),
        ChatMessageIn(role="assistant", content="Done."),
    ]
    tools = [ToolSpec.model_validate({"type": "function", "function": {"name": "cancel", "description": "Cancel.", "parameters": {}}})]
    worker = TensorWorker(2)
    try:
        with TestClient(create_app(TOKEN, worker)) as c:
            conv = {"messages": [m.model_dump(exclude_none=True) for m in msgs], "tools": [t.model_dump() for t in tools]}
            r = c.post("/v1/tokenizers", json={"conversations": [conv] * 30, "vocab_size": 300, "added_tokens": ["#412"], "out": str(tmp_path)}, headers=H)
            assert r.status_code == 200, r.text
            assert c.post("/v1/tokenizers", json={"vocab_size": 300, "out": str(tmp_path)}, headers=H).status_code == 400
    finally:
        worker.shutdown()
    renderer = ChatRenderer(Tokenizer.from_file(str(tmp_path / "tokenizer.json")))
    # The text the tokenizer was trained on is exactly what rendering the conversation decodes to.
    assert renderer.decode(renderer.render(msgs, tools).ids) == conversation_text(msgs, tools)
