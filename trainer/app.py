"""The HTTP API (FastAPI). Every route but /v1/health needs `Authorization: Bearer <token>`.

Errors are JSON `{"error": {"type", "message", "details"?}}`: 400 for malformed or unservable
requests (with the failing field path), 401 for a bad token, 404 for an unknown session. A
failing request never takes the service down.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from . import checkpoint
from .chat_format import conversation_text
from .commands import Command
from .schemas import (
    ChatCompletionReq,
    CreateSession,
    DecodeReq,
    ExportAdapterReq,
    ForwardBackwardReq,
    ForwardReq,
    LoadReq,
    OptimStepReq,
    RenderBatchReq,
    RenderReq,
    SampleReq,
    SaveReq,
    TrainTokenizerReq,
)
from .session import BadRequest, Session
from .tokenizer import train_tokenizer
from .worker import TensorWorker


def _error(status: int, kind: str, message: str, details: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"type": kind, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


def _describe(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
        parts.append(f"{loc or 'body'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


def create_app(token: str, worker: TensorWorker) -> FastAPI:
    # No /docs, /redoc or /openapi.json: they were served without the token and the docs pages
    # load their UI from a CDN (this service runs offline, on loopback). docs/trainer.md lists the routes.
    app = FastAPI(title="tarl-trainer", docs_url=None, redoc_url=None, openapi_url=None)
    sessions: dict[str, Session] = worker.commands.sessions

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errs = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        return _error(400, "invalid_request", _describe(errs), errs)

    @app.exception_handler(BadRequest)
    async def _bad(_: Request, exc: BadRequest) -> JSONResponse:
        return _error(400, "invalid_request", str(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, "not_found" if exc.status_code == 404 else "unauthorized" if exc.status_code == 401 else "error", str(exc.detail))

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, "internal", f"{type(exc).__name__}: {exc}")

    def auth(request: Request) -> None:
        got = request.headers.get("authorization", "")
        if not hmac.compare_digest(got.encode(), f"Bearer {token}".encode()):
            raise HTTPException(401, "missing or wrong bearer token")

    def session(sid: str) -> Session:
        if sid not in sessions:
            raise HTTPException(404, f"no session {sid!r}")
        return sessions[sid]

    async def guarded(fn: Any, text: bool = False) -> Any:
        """Runs fn on the tensor worker (or, text=True, its text thread); user-caused ValueErrors become 400s."""
        try:
            return await (worker.run_text(fn) if text else worker.run(fn))
        except (ValueError, FileNotFoundError) as e:
            raise BadRequest(str(e)) from e

    async def call(op: str, sid: str | None, req: Any = None) -> Any:
        """A model-touching request: executed by every rank (commands.py); errors as in guarded."""
        try:
            return await worker.call(Command(op, sid, req))
        except (ValueError, FileNotFoundError) as e:
            raise BadRequest(str(e)) from e

    # The same shape as `tarl serve`'s GET /v1/health: {"ok": true, "sessions": n, …}.
    @app.get("/v1/health")
    async def health() -> dict[str, Any]:
        return {"ok": True, "sessions": len(sessions)}

    @app.post("/v1/tokenizers", dependencies=[Depends(auth)])
    async def tokenizers(req: TrainTokenizerReq) -> dict[str, Any]:
        texts = [*req.texts, *(conversation_text(c.messages, c.tools) for c in req.conversations)]
        result: dict[str, Any] = await guarded(lambda: train_tokenizer(texts, req.vocab_size, req.added_tokens, req.out, req.split_digits))
        return result

    @app.post("/v1/sessions", dependencies=[Depends(auth)])
    async def create(req: CreateSession) -> dict[str, Any]:
        sid = uuid.uuid4().hex[:12]
        s: Session = await call("create", sid, req)
        n_train = sum(p.numel() for p in s.trainable())
        return {"session_id": sid, "vocab_size": s.vocab, "pad_id": s.pad_id, "im_end_id": s.renderer.im_end,
                "lora": s.is_lora(), "trainable_params": n_train, "origin": s.origin}

    @app.delete("/v1/sessions/{sid}", dependencies=[Depends(auth)])
    async def delete(sid: str) -> dict[str, bool]:
        session(sid)
        await call("delete", sid)
        return {"deleted": True}

    @app.post("/v1/sessions/{sid}/render", dependencies=[Depends(auth)])
    async def render(sid: str, req: RenderReq) -> dict[str, Any]:
        s = session(sid)
        r = await guarded(lambda: s.renderer.render(req.messages, req.tools, req.generation_prompt, req.continuation), text=True)
        out: dict[str, Any] = {"ids": r.ids, "mask": r.mask}
        if r.audio:  # spoken user turns: where each file's placeholders start in `ids`
            out["audio"] = [{"at": a.at, "path": a.path, "sha256": a.sha256, "tokens": a.tokens} for a in r.audio]
        return out

    @app.post("/v1/sessions/{sid}/render_batch", dependencies=[Depends(auth)])
    async def render_batch(sid: str, req: RenderBatchReq) -> dict[str, Any]:
        s = session(sid)

        def run() -> list[dict[str, list[int]]]:
            out = []
            for r in req.items:
                x = s.renderer.render(r.messages, r.tools, r.generation_prompt, r.continuation)
                out.append({"ids": x.ids, "mask": x.mask})
            return out

        return {"items": await guarded(run, text=True)}

    @app.post("/v1/sessions/{sid}/sample", dependencies=[Depends(auth)])
    async def sample(sid: str, req: SampleReq) -> dict[str, Any]:
        session(sid)
        result: dict[str, Any] = await call("sample", sid, req)
        return result

    @app.post("/v1/sessions/{sid}/decode", dependencies=[Depends(auth)])
    async def decode(sid: str, req: DecodeReq) -> dict[str, Any]:
        s = session(sid)

        def run() -> dict[str, Any]:
            s.check_ids(req.ids, "ids")
            out: dict[str, Any] = {"texts": [s.renderer.decode(r) for r in req.ids]}
            if req.per_token:
                out["tokens"] = [s.renderer.decode_tokens(r) for r in req.ids]
            return out

        result: dict[str, Any] = await guarded(run, text=True)
        return result

    @app.post("/v1/sessions/{sid}/cache/clear", dependencies=[Depends(auth)])
    async def cache_clear(sid: str) -> dict[str, int]:
        session(sid)
        entries, tokens = await call("cache_clear", sid)
        return {"entries": entries, "tokens": tokens}

    @app.post("/v1/sessions/{sid}/forward", dependencies=[Depends(auth)])
    async def forward(sid: str, req: ForwardReq) -> dict[str, Any]:
        session(sid)
        result: dict[str, Any] = await call("forward", sid, req)
        return result

    @app.post("/v1/sessions/{sid}/forward_backward", dependencies=[Depends(auth)])
    async def forward_backward(sid: str, req: ForwardBackwardReq) -> dict[str, Any]:
        session(sid)
        return {"metrics": await call("forward_backward", sid, req)}

    @app.post("/v1/sessions/{sid}/optim_step", dependencies=[Depends(auth)])
    async def optim_step(sid: str, req: OptimStepReq) -> dict[str, Any]:
        session(sid)
        return {"metrics": await call("optim_step", sid, req)}

    @app.post("/v1/sessions/{sid}/save", dependencies=[Depends(auth)])
    async def save(sid: str, req: SaveReq) -> dict[str, Any]:
        session(sid)
        meta = await call("save", sid, req)
        return {"path": req.path, "kind": meta["kind"], "step": meta["step"], "metrics": {}}

    @app.post("/v1/sessions/{sid}/load", dependencies=[Depends(auth)])
    async def load(sid: str, req: LoadReq) -> dict[str, Any]:
        s = session(sid)
        meta = await call("load", sid, req)
        return {"path": req.path, "kind": meta["kind"], "step": s.step, "metrics": {}}

    @app.post("/v1/sessions/{sid}/export_adapter", dependencies=[Depends(auth)])
    async def export_adapter(sid: str, req: ExportAdapterReq) -> dict[str, Any]:
        session(sid)
        await call("export_adapter", sid, req)
        return {"path": req.path, "format": "peft", "metrics": {}}

    @app.post("/v1/sessions/{sid}/export_tokenizer", dependencies=[Depends(auth)])
    async def export_tokenizer(sid: str, req: ExportAdapterReq) -> dict[str, Any]:
        s = session(sid)
        await guarded(lambda: checkpoint.export_tokenizer(s, req.path), text=True)
        return {"path": req.path}

    @app.get("/v1/models", dependencies=[Depends(auth)])
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": f"session:{sid}", "object": "model"} for sid in sessions]}

    @app.post("/v1/chat/completions", dependencies=[Depends(auth)])
    async def chat(req: ChatCompletionReq) -> dict[str, Any]:
        result: dict[str, Any] = await call("chat", None, req)
        return result

    return app
