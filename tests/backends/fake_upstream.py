"""A small, real OpenAI-compatible HTTP server for tests (uvicorn in a thread, 127.0.0.1, free port).

Serves ``/v1/models``, ``/v1/chat/completions`` (streamed or not; scripted text or one tool call),
``/v1/completions`` and ``/v1/embeddings``. ``FakeUpstream.script`` changes its behaviour while it
runs (fail with a status, go unhealthy, stall, stream forever); ``requests`` records what it
received and ``cancelled`` is set when a streaming generator is cut off by the client hanging up.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Script:
    pieces: list[str] = field(default_factory=lambda: ["Salam", " u", " alikoum", "!"])
    tool_call: tuple[str, str] | None = None  # (name, JSON arguments): answer with a call instead
    status: int = 200  # anything else: every generation/embedding call fails with it
    message: str = "scripted failure"
    healthy: bool = True  # False: /v1/models answers 503
    delay_s: float = 0.0  # before the response headers
    chunk_delay_s: float = 0.0  # between stream events
    endless: bool = False  # stream text until the client goes away
    stall_after_first_s: float = 0.0  # go silent this long after the first piece
    reject_stream_options: bool = False  # behave like a server that predates stream_options
    ignore_stream: bool = False  # answer one JSON object even when asked to stream
    dim: int = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _sse(obj: Any) -> str:
    return f"data: {json.dumps(obj)}\n\n"


class FakeUpstream:
    def __init__(self, name: str = "fake-model", port: int | None = None) -> None:
        self.name = name
        self.port = port or free_port()
        self.script = Script()
        self.requests: list[dict[str, Any]] = []
        self.cancelled = threading.Event()
        self.finished_streams = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/completions", self._completions, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            ]
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeUpstream:
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"fake upstream did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._server.force_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- endpoints ---------------------------------------------------------------------------

    async def _record(self, request: Request) -> dict[str, Any]:
        body = json.loads(await request.body() or b"{}") if request.method == "POST" else {}
        self.requests.append({"path": request.url.path, "body": body, "headers": dict(request.headers)})
        if self.script.delay_s:
            await asyncio.sleep(self.script.delay_s)
        return dict(body)

    def _failure(self, body: dict[str, Any]) -> Response | None:
        if self.script.reject_stream_options and "stream_options" in body:
            return JSONResponse({"error": {"message": "unknown field: stream_options"}}, status_code=400)
        if self.script.status != 200:
            return JSONResponse(
                {"error": {"message": self.script.message, "type": "x"}}, status_code=self.script.status
            )
        return None

    async def _models(self, request: Request) -> Response:
        await self._record(request)
        if not self.script.healthy:
            return JSONResponse({"error": {"message": "not ready"}}, status_code=503)
        return JSONResponse({"object": "list", "data": [{"id": self.name, "object": "model"}]})

    async def _chat(self, request: Request) -> Response:
        body = await self._record(request)
        failure = self._failure(body)
        if failure is not None:
            return failure
        if not body.get("stream") or self.script.ignore_stream:
            return JSONResponse(self._whole_answer(body))
        usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return StreamingResponse(self._chat_events(body, usage), media_type="text/event-stream")

    async def _completions(self, request: Request) -> Response:
        body = await self._record(request)
        failure = self._failure(body)
        if failure is not None:
            return failure
        usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return StreamingResponse(self._completion_events(usage), media_type="text/event-stream")

    async def _embeddings(self, request: Request) -> Response:
        body = await self._record(request)
        failure = self._failure(body)
        if failure is not None:
            return failure
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": self.vector(t)} for i, t in enumerate(texts)]
        data.reverse()  # answers may come in any order; index says which is which
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": self.name,
                "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)},
            }
        )

    def vector(self, text: str) -> list[float]:
        """Deterministic, deliberately not unit-length, so callers must normalise."""
        digest = hashlib.sha256(text.encode()).digest()
        return [float(b) + 1.0 for b in digest[: self.script.dim]]

    # --- streams -----------------------------------------------------------------------------

    def _event(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "model": self.name,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    async def _chat_events(self, body: dict[str, Any], usage: bool) -> AsyncIterator[str]:
        try:
            yield _sse(self._event({"role": "assistant", "content": ""}))
            finish = "stop"
            if self.script.tool_call and body.get("tools"):
                name, args = self.script.tool_call
                first = {
                    "index": 0,
                    "id": "call_fake1",
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                yield _sse(self._event({"tool_calls": [first]}))
                half = len(args) // 2
                for part in (args[:half], args[half:]):
                    await asyncio.sleep(self.script.chunk_delay_s)
                    yield _sse(self._event({"tool_calls": [{"index": 0, "function": {"arguments": part}}]}))
                finish = "tool_calls"
            else:
                async for piece in self._pieces():
                    yield _sse(self._event({"content": piece}))
            yield _sse(self._event({}, finish))
            if usage:
                yield _sse(
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion.chunk",
                        "choices": [],
                        "usage": {"prompt_tokens": 7, "completion_tokens": 4, "total_tokens": 11},
                    }
                )
            yield "data: [DONE]\n\n"
            self.finished_streams += 1
        except BaseException:
            self.cancelled.set()  # the client hung up: starlette cancels or closes us here
            raise

    async def _pieces(self) -> AsyncIterator[str]:
        if self.script.endless:
            while True:
                await asyncio.sleep(self.script.chunk_delay_s or 0.01)
                yield "la "
        for i, piece in enumerate(self.script.pieces):
            await asyncio.sleep(self.script.chunk_delay_s)
            if i == 1 and self.script.stall_after_first_s:
                await asyncio.sleep(self.script.stall_after_first_s)
            yield piece

    async def _completion_events(self, usage: bool) -> AsyncIterator[str]:
        async for piece in self._pieces():
            yield _sse({"object": "text_completion", "choices": [{"index": 0, "text": piece, "finish_reason": None}]})
        yield _sse({"object": "text_completion", "choices": [{"index": 0, "text": "", "finish_reason": "length"}]})
        if usage:
            yield _sse(
                {
                    "object": "text_completion",
                    "choices": [],
                    "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
                }
            )
        yield "data: [DONE]\n\n"

    def _whole_answer(self, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": "".join(self.script.pieces)}
        finish = "stop"
        if self.script.tool_call and body.get("tools"):
            name, args = self.script.tool_call
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": "call_fake1", "type": "function", "function": {"name": name, "arguments": args}}],
            }
            finish = "tool_calls"
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": self.name,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 4, "total_tokens": 11},
        }
