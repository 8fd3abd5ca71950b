"""Pure ASGI middleware: request-body size limit and request metrics.

Pure ASGI (not ``BaseHTTPMiddleware``) because it adds no task hop per request, keeps streaming
responses streaming, and lets handlers see client disconnects at once.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from siyada.serve.errors import error_body
from siyada.serve.state import AppState


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps(
        error_body(
            f"request body is larger than the limit of {limit} bytes", "invalid_request_error", code="payload_too_large"
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """413 for bodies over ``max_body_bytes``, by header when declared and by counting otherwise.

    Multipart uploads are exempt: knowledge-base uploads check each file against
    ``max_upload_bytes`` themselves so one oversized file does not sink the whole batch.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if headers.get(b"content-type", b"").startswith(b"multipart/"):
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_413(send, self.limit)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit, then replay the body. Raising from
        # inside receive() would be swallowed by the framework's body parsing as a generic 400.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await _send_413(send, self.limit)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.metrics = state.metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = _route_label(scope)
            self.metrics.requests.labels(route=route, status=str(status)).inc()
            self.metrics.latency.labels(route=route).observe(time.perf_counter() - start)


def _route_label(scope: Scope) -> str:
    # The matched route's template keeps label cardinality bounded (no ids in labels).
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def install_middleware(app: FastAPI, state: AppState) -> None:
    app.add_middleware(BodyLimitMiddleware, limit=state.settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, state=state)
