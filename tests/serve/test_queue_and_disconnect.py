"""A busy model: bounded queue answers 503 with Retry-After; a client that leaves frees the model."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import httpx

from siyada.backends.fake import FakeBackend


def _chat(stream: bool = False) -> dict[str, Any]:
    return {"model": "fake", "stream": stream, "messages": [{"role": "user", "content": "one two three four five"}]}


async def test_queue_full_answers_503_with_retry_after(make_app: Any, live_server: Any) -> None:
    # One slot, one waiting place: the third concurrent request must be refused at once.
    app, _registry = make_app(delay_s=0.3, queue=1)
    server = live_server(app)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        first = asyncio.create_task(client.post("/v1/chat/completions", json=_chat()))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(client.post("/v1/chat/completions", json=_chat()))
        await asyncio.sleep(0.2)
        third = await client.post("/v1/chat/completions", json=_chat())
        assert third.status_code == 503
        assert third.headers["retry-after"] == "1"
        assert third.json()["error"]["code"] == "queue_full"
        assert (await first).status_code == 200
        assert (await second).status_code == 200
        metrics = (await client.get("/metrics")).text
        assert 'siyada_requests_total{route="/v1/chat/completions",status="503"} 1.0' in metrics


async def test_streaming_disconnect_stops_generation_and_frees_model(make_app: Any, live_server: Any) -> None:
    app, registry = make_app(delay_s=0.2, queue=0)
    server = live_server(app)
    backend = registry.backend("fake")
    assert isinstance(backend, FakeBackend)
    long_chat = {"model": "fake", "stream": True, "messages": [{"role": "user", "content": "w " * 200}]}
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        async with client.stream("POST", "/v1/chat/completions", json=long_chat) as r:
            assert r.status_code == 200
            async for line in r.aiter_lines():
                if line.startswith("data:"):
                    break  # got the first token, then hang up
        deadline = time.monotonic() + 5
        while backend.active and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert backend.active == 0 and backend.cancelled == 1
        # With no queue at all, a new request only succeeds if the slot was really freed.
        r = await client.post("/v1/chat/completions", json=_chat())
        assert r.status_code == 200


async def test_non_streaming_disconnect_frees_model(make_app: Any, live_server: Any) -> None:
    app, registry = make_app(delay_s=0.2, queue=0)
    server = live_server(app)
    backend = registry.backend("fake")
    long_chat = {"model": "fake", "messages": [{"role": "user", "content": "w " * 200}]}
    async with httpx.AsyncClient(base_url=server.url, timeout=0.5) as client:
        with contextlib.suppress(httpx.ReadTimeout):
            await client.post("/v1/chat/completions", json=long_chat)
    deadline = time.monotonic() + 5
    while backend.active and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert backend.active == 0 and backend.cancelled == 1
