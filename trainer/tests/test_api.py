"""HTTP layer: auth, precise 4xx for malformed requests, the service keeps serving, the facade."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trainer.app import create_app
from trainer.worker import TensorWorker

TOKEN = "test-token-0123456789"
H = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    worker = TensorWorker(2)
    with TestClient(create_app(TOKEN, worker)) as c:
        yield c
    worker.shutdown()


def _session(c: TestClient, **kw: object) -> str:
    r = c.post("/v1/sessions", json={"model": {"preset": "tiny"}, **kw}, headers=H)
    assert r.status_code == 200, r.text
    return str(r.json()["session_id"])


def test_auth_required(client: TestClient) -> None:
    health = client.get("/v1/health")
    assert health.status_code == 200 and health.json() == {"ok": True, "sessions": 0}
    r = client.post("/v1/sessions", json={"model": {"preset": "tiny"}}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["error"]["type"] == "unauthorized"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_no_docs_pages(client: TestClient, path: str) -> None:
    # The docs pages were served without the token and loaded their UI from a CDN.
    assert client.get(path).status_code == 404
    assert client.get(path, headers=H).status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("sample", {"prompts": [[1, 2]], "n": 0}, "n: Input should be greater than or equal to 1"),
        ("sample", {"prompts": [[1, 2]], "temprature": 1}, "temprature: Extra inputs are not permitted"),
        ("sample", {"prompts": [[]]}, "prompts[0] is empty"),
        ("sample", {"prompts": [[1, 5000]]}, "prompts[0] has token id 5000 outside [0, 1024)"),
        ("forward", {"data": [{"input_ids": [1, 2], "target_ids": [2]}]}, "target_ids has length 1 but input_ids has length 2"),
        ("forward_backward", {"data": [{"input_ids": [1], "target_ids": [2]}], "loss": {"kind": "dpo"}}, "loss.kind: Input should be"),
        ("forward_backward", {"data": [{"input_ids": [1], "target_ids": [2]}], "loss": {"kl_coef": 0.1}}, "needs a reference"),
        ("forward", {"data": [{"input_ids": [1], "target_ids": [2]}], "values": True}, "has no critic"),
        ("render", {"messages": [{"role": "robot", "content": "x"}]}, "messages.0.role: Input should be"),
        ("load", {"path": "/nonexistent/ck"}, "is not a checkpoint"),
        ("export_adapter", {"path": "/tmp/x"}, "needs a LoRA session"),
    ],
)
def test_malformed_requests_get_precise_400_and_service_keeps_serving(client: TestClient, path: str, body: dict[str, object], message: str) -> None:
    sid = _session(client)
    r = client.post(f"/v1/sessions/{sid}/{path}", json=body, headers=H)
    assert r.status_code == 400, r.text
    assert message in r.json()["error"]["message"]
    ok = client.post(f"/v1/sessions/{sid}/sample", json={"prompts": [[1, 2]], "max_tokens": 2}, headers=H)
    assert ok.status_code == 200 and len(ok.json()["samples"][0][0]["ids"]) == 2


def test_broken_json_and_unknown_session(client: TestClient) -> None:
    r = client.post("/v1/sessions", content=b"{not json", headers={**H, "content-type": "application/json"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]["message"]
    r = client.post("/v1/sessions/nope/sample", json={"prompts": [[1]]}, headers=H)
    assert r.status_code == 404 and "nope" in r.json()["error"]["message"]


def test_chat_facade_over_session_and_checkpoint(client: TestClient, tmp_path: Path) -> None:
    sid = _session(client, lora={"rank": 4})
    body = {"messages": [{"role": "user", "content": "Cancel #W1"}], "max_tokens": 6, "temperature": 0, "seed": 1}
    r = client.post("/v1/chat/completions", json={"model": f"session:{sid}", **body}, headers=H)
    assert r.status_code == 200, r.text
    live = r.json()
    choice = live["choices"][0]
    assert choice["message"]["role"] == "assistant" and "tarl" not in live and "tarl" not in choice
    # vLLM's token fields: prompt ids, completion ids, and one log-prob entry per completion id
    entries = choice["logprobs"]["content"]
    assert len(choice["token_ids"]) == len(entries) == 6 and [e["token_id"] for e in entries] == choice["token_ids"]
    assert all(isinstance(e["logprob"], float) and e["logprob"] <= 0 for e in entries)
    assert live["usage"]["prompt_tokens"] == len(live["prompt_token_ids"]) > 0
    ck = str(tmp_path / "ck")
    assert client.post(f"/v1/sessions/{sid}/save", json={"path": ck}, headers=H).status_code == 200
    r = client.post("/v1/chat/completions", json={"model": f"trained:{ck}", **body}, headers=H)
    saved = r.json()["choices"][0]
    assert r.status_code == 200 and saved["token_ids"] == choice["token_ids"] and saved["logprobs"] == choice["logprobs"]
    r = client.post("/v1/chat/completions", json={"model": "gpt-4", **body}, headers=H)
    assert r.status_code == 400 and "expected 'session:<id>'" in r.json()["error"]["message"]


def test_sample_returns_text_and_decode_endpoint(client: TestClient) -> None:
    sid = _session(client)
    r = client.post(f"/v1/sessions/{sid}/render", json={"messages": [{"role": "user", "content": "héllo 😀"}]}, headers=H)
    ids = r.json()["ids"]
    r = client.post(f"/v1/sessions/{sid}/decode", json={"ids": [ids, []], "per_token": True}, headers=H)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["texts"] == ["<|im_start|>user\nhéllo 😀<|im_end|>", ""]
    # One string per id; they concatenate to the text even where a character spans tokens.
    assert [len(t) for t in body["tokens"]] == [len(ids), 0] and "".join(body["tokens"][0]) == body["texts"][0]
    assert body["tokens"][0][0] == "<|im_start|>" and body["tokens"][0][-1] == "<|im_end|>"
    assert "tokens" not in client.post(f"/v1/sessions/{sid}/decode", json={"ids": [ids]}, headers=H).json()
    r = client.post(f"/v1/sessions/{sid}/decode", json={"ids": [[1, 99999]]}, headers=H)
    assert r.status_code == 400 and "ids[0] has token id 99999" in r.json()["error"]["message"]
    r = client.post(f"/v1/sessions/{sid}/sample", json={"prompts": [ids], "n": 2, "max_tokens": 5, "seed": 3}, headers=H)
    for c in r.json()["samples"][0]:
        dec = client.post(f"/v1/sessions/{sid}/decode", json={"ids": [c["ids"]]}, headers=H).json()
        assert c["text"] == dec["texts"][0]


def test_prefix_cache_over_http(client: TestClient) -> None:
    sid = _session(client, kv_cache_tokens=1000)
    first = client.post(f"/v1/sessions/{sid}/sample", json={"prompts": [[1, 2, 3]], "max_tokens": 4, "temperature": 0}, headers=H).json()
    ids = first["samples"][0][0]["ids"]
    nxt = {"prompts": [[1, 2, 3, *ids, 5]], "max_tokens": 4, "temperature": 0}
    assert client.post(f"/v1/sessions/{sid}/sample", json={**nxt, "use_cache": False}, headers=H).json()["metrics"]["perf/cached_tokens"] == 0
    m = client.post(f"/v1/sessions/{sid}/sample", json=nxt, headers=H).json()["metrics"]
    assert m["perf/cached_tokens"] == 3 + 4 - 1 and m["perf/prefill_tokens"] == 2
    r = client.post(f"/v1/sessions/{sid}/cache/clear", headers=H)
    assert r.status_code == 200 and r.json() == {"entries": 1, "tokens": 3 + 4 + 1 + 3}
    assert client.post(f"/v1/sessions/{sid}/sample", json=nxt, headers=H).json()["metrics"]["perf/cached_tokens"] == 0
    r = client.post("/v1/sessions", json={"model": {"preset": "tiny"}, "kv_cache_tokens": -1}, headers=H)
    assert r.status_code == 400 and "kv_cache_tokens" in r.json()["error"]["message"]
