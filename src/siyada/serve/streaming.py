"""Drive a backend stream for one HTTP request: SSE framing, metrics, disconnects.

Decisions:
- The first chunk is pulled *before* the response starts, so a full queue (503), a prompt longer
  than the context (400) or an unreachable upstream still get a proper status code and JSON body.
- When the client goes away, Starlette cancels the response task; the ``finally`` here closes
  the backend stream, which stops generation and frees the model at once.
- Non-streaming requests watch for a disconnect too, so an abandoned request does not keep the
  model busy until it finishes.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from starlette.responses import StreamingResponse

from siyada.backends.base import collect
from siyada.serve.metrics import Metrics
from siyada.types import ChatResult, Chunk, Usage

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(data: dict[str, Any] | str) -> bytes:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"data: {payload}\n\n".encode()


class MeteredStream:
    """Wraps a backend stream: records time to first token and tokens, remembers usage."""

    def __init__(self, stream: AsyncIterator[Chunk], metrics: Metrics, model: str) -> None:
        self._stream = stream
        self._metrics = metrics
        self._model = model
        self._start = time.perf_counter()
        self._first = True
        self.usage: Usage | None = None

    def __aiter__(self) -> MeteredStream:
        return self

    async def __anext__(self) -> Chunk:
        chunk = await self._stream.__anext__()
        if self._first and (chunk.text or chunk.tool_calls):
            self._first = False
            self._metrics.ttft.labels(model=self._model).observe(time.perf_counter() - self._start)
        if chunk.usage is not None:
            self.usage = chunk.usage
            self._metrics.tokens.labels(model=self._model, kind="prompt").inc(chunk.usage.prompt_tokens)
            self._metrics.tokens.labels(model=self._model, kind="completion").inc(chunk.usage.completion_tokens)
        return chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


async def first_chunk(stream: MeteredStream) -> Chunk | None:
    """Start generation; errors raised here become ordinary HTTP error responses."""
    try:
        return await stream.__anext__()
    except StopAsyncIteration:
        return None
    except BaseException:
        await stream.aclose()
        raise


def stream_response(
    stream: MeteredStream,
    first: Chunk | None,
    frame: Callable[[Chunk], list[dict[str, Any]]],
    tail: Callable[[Usage | None], list[dict[str, Any]]],
) -> StreamingResponse:
    """SSE response: ``frame`` turns each chunk into events, ``tail`` adds the closing events."""

    async def body() -> AsyncIterator[bytes]:
        try:
            if first is not None:
                for event in frame(first):
                    yield sse(event)
            async for chunk in stream:
                for event in frame(chunk):
                    yield sse(event)
            for event in tail(stream.usage):
                yield sse(event)
            yield sse("[DONE]")
        finally:
            await stream.aclose()

    return StreamingResponse(body(), media_type="text/event-stream", headers=SSE_HEADERS)


async def collect_unless_disconnected(request: Request, stream: MeteredStream) -> ChatResult | None:
    """Fold the stream; return None (and stop generation) if the client disconnects first.

    The fold runs in this task and one watcher task cancels it on disconnect: one task per request
    instead of two keeps the gateway's own latency low.
    """
    task = asyncio.current_task()
    assert task is not None
    disconnected = False

    async def watch() -> None:
        nonlocal disconnected
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                disconnected = True
                task.cancel()
                return

    watcher = asyncio.create_task(watch())
    try:
        return await collect(stream)
    except asyncio.CancelledError:
        if not disconnected:
            raise
        task.uncancel()
        return None
    finally:
        watcher.cancel()
        await stream.aclose()
