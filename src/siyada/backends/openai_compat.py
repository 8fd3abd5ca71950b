"""The ``openai`` backend: any remote OpenAI-compatible server (vLLM, Ollama, llama-server, Mistral).

Thin I/O around pure pieces: :mod:`openai_wire` builds bodies and decodes stream events,
:mod:`upstream_pool` orders the URLs, :mod:`upstream_errors` maps failures. Every call streams
from the upstream and passes chunks on as they arrive.

Key decisions: fail-over to the next URL happens only until the first chunk has been passed on
(after that a failure is a 502, since half an answer cannot be retried elsewhere); closing the
chunk iterator closes the upstream response at once, so a client that hangs up stops the
upstream's generation too; one ``httpx.AsyncClient`` per backend and event loop keeps
connections warm; ``trust_env`` is off so ``HTTP(S)_PROXY`` never routes a call off the premises
behind the operator's back.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from typing import Any

import httpx

from siyada.backends.base import EmbedKind
from siyada.backends.openai_wire import (
    StreamDecoder,
    chat_body,
    completion_body,
    embeddings_body,
    error_message,
    parse_embeddings,
    parse_sse_line,
)
from siyada.backends.upstream_errors import (
    Failover,
    describe_transport,
    exhausted_error,
    is_failover_status,
    status_error,
)
from siyada.backends.upstream_params import UpstreamParams, parse_params
from siyada.backends.upstream_pool import HealthMonitor, UpstreamPool, UpstreamStatus
from siyada.errors import UpstreamError
from siyada.settings import ModelConfig, Settings
from siyada.types import ChatRequest, Chunk, CompletionRequest

BodyBuilder = Callable[[bool], dict[str, Any]]  # include_usage → request body


def _timeout(p: UpstreamParams) -> httpx.Timeout:
    return httpx.Timeout(p.timeout_s, connect=p.connect_timeout_s)


def _usage_rejected(message: str) -> bool:
    lowered = message.lower()
    return "stream_options" in lowered or "include_usage" in lowered


async def _events(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """The decoded events of an answer: SSE ``data:`` lines, or the whole body when the
    upstream ignored ``"stream": true`` and answered with one JSON object."""
    if response.headers.get("content-type", "").startswith("application/json"):
        await response.aread()
        try:
            payload = response.json()
        except ValueError:
            raise UpstreamError("the upstream answered with a body that is not JSON") from None
        if isinstance(payload, dict):
            yield payload
        return
    async for line in response.aiter_lines():
        event = parse_sse_line(line)
        if event is not None:
            yield event


class OpenAICompatBackend:
    """A chat/completions model served by one or more OpenAI-compatible upstream URLs."""

    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        self.params = parse_params(cfg, settings)
        self.pool = UpstreamPool(self.params.urls, cooldown_s=max(self.params.health_interval_s, 5.0))
        self.monitor = HealthMonitor(self.pool, self.probe, self.params.health_interval_s)
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._usage_ok: dict[str, bool] = {}  # URL → whether it accepts stream_options

    # --- the Backend protocol ---------------------------------------------------------------

    def chat(self, request: ChatRequest) -> AsyncIterator[Chunk]:
        model = self.params.upstream_model
        return self._stream("/chat/completions", lambda usage: chat_body(request, model, include_usage=usage))

    def complete(self, request: CompletionRequest) -> AsyncIterator[Chunk]:
        model = self.params.upstream_model
        return self._stream("/completions", lambda usage: completion_body(request, model, include_usage=usage))

    async def aclose(self) -> None:
        await self.monitor.aclose()
        client, self._client = self._client, None
        if client is not None and self._client_loop is asyncio.get_running_loop():
            await client.aclose()

    # --- health ------------------------------------------------------------------------------

    async def probe(self, url: str) -> bool:
        """An upstream is healthy when it answers the health path without a 5xx."""
        try:
            response = await self._http().get(url + self.params.health_path, timeout=_timeout(self.params))
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    async def check_once(self) -> dict[str, bool]:
        return await self.pool.check_once(self.probe)

    def upstreams(self) -> list[UpstreamStatus]:
        return self.pool.snapshot()

    # --- streaming ---------------------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        # A client's pooled connections belong to the loop that opened them; a new loop
        # (tests, a CLI that calls asyncio.run twice) gets a new client.
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.is_closed or self._client_loop is not loop:
            self._client = httpx.AsyncClient(
                headers=self.params.headers,
                timeout=_timeout(self.params),
                trust_env=False,
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=32),
            )
            self._client_loop = loop
        return self._client

    async def _stream(self, path: str, build: BodyBuilder) -> AsyncIterator[Chunk]:
        build(self.params.stream_usage)  # invalid requests fail here, before any network
        self.monitor.ensure_started()
        failures: list[Failover] = []
        for url in self.pool.order():
            attempt = self._attempt(url, path, build)
            try:
                first = await anext(attempt)
            except Failover as failure:
                failures.append(failure)
                continue
            try:
                yield first
                async for chunk in attempt:
                    yield chunk
            finally:
                await attempt.aclose()
            return
        raise exhausted_error(self.params.model_name, failures)

    async def _attempt(self, url: str, path: str, build: BodyBuilder) -> AsyncGenerator[Chunk, None]:
        response = await self._open(url, path, build)
        passed_on = False
        try:
            decoder = StreamDecoder()
            async for event in _events(response):
                for chunk in decoder.feed(event):
                    passed_on = True
                    yield chunk
            yield decoder.finish()
        except httpx.HTTPError as exc:
            reason = describe_transport(exc, self.params.timeout_s, self.params.connect_timeout_s)
            if not passed_on:
                self.pool.mark_down(url, reason)
                raise Failover(url, reason) from None
            raise UpstreamError(
                f"model '{self.params.model_name}': the upstream {url} broke off mid-answer ({reason})"
            ) from None
        finally:
            await response.aclose()

    async def _open(self, url: str, path: str, build: BodyBuilder) -> httpx.Response:
        include = self._usage_ok.get(url, self.params.stream_usage)
        response = await self._send(url, path, build(include))
        if response.status_code == 400 and include:
            message = await self._read_error(response)
            if not _usage_rejected(message):
                raise status_error(self.params.model_name, url, 400, message)
            self._usage_ok[url] = False  # an older server: ask once more, without usage
            response = await self._send(url, path, build(False))
        if response.status_code >= 400:
            message = await self._read_error(response)
            if is_failover_status(response.status_code):
                raise Failover(url, f"HTTP {response.status_code}: {message}", response.status_code)
            raise status_error(self.params.model_name, url, response.status_code, message)
        if not self.pool.is_healthy(url):
            self.pool.mark_up(url)
        return response

    async def _send(self, url: str, path: str, body: dict[str, Any]) -> httpx.Response:
        client = self._http()
        try:
            return await client.send(client.build_request("POST", url + path, json=body), stream=True)
        except httpx.HTTPError as exc:
            reason = describe_transport(exc, self.params.timeout_s, self.params.connect_timeout_s)
            self.pool.mark_down(url, reason)
            raise Failover(url, reason) from None

    @staticmethod
    async def _read_error(response: httpx.Response) -> str:
        try:
            await response.aread()
        except httpx.HTTPError:
            return f"HTTP {response.status_code}"
        finally:
            await response.aclose()
        return error_message(response.content, response.status_code)


class OpenAICompatEmbedder:
    """Remote embeddings from ``/embeddings`` of one or more upstreams (sync: RAG ingests in threads).

    Vectors are scaled to unit length here whatever the upstream does; e5-style models get
    ``prefix_query`` / ``prefix_passage`` prepended. Without a health task, a failed URL is
    skipped for its cool-down (``health_interval_s``) and then tried again.
    """

    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        self.params = parse_params(cfg, settings)
        self.pool = UpstreamPool(self.params.urls, cooldown_s=max(self.params.health_interval_s, 5.0))
        self._client = httpx.Client(headers=self.params.headers, timeout=_timeout(self.params), trust_env=False)
        self._dim = self.params.dim
        self._dim_lock = threading.Lock()

    @property
    def dim(self) -> int:
        if self._dim is None:
            with self._dim_lock:
                if self._dim is None:
                    self._dim = len(self._post(["dimension probe"])[0])
        return self._dim

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> list[list[float]]:
        prefix = self.params.prefix_query if kind == "query" else self.params.prefix_passage
        items = [prefix + t for t in texts]
        out: list[list[float]] = []
        size = self.params.batch_size
        for start in range(0, len(items), size):
            out.extend(self._post(items[start : start + size]))
        if out:
            self._check_dim(len(out[0]))
        return out

    def _check_dim(self, got: int) -> None:
        if self._dim is None:
            self._dim = got
        elif got != self._dim:
            raise UpstreamError(
                f"model '{self.params.model_name}': the upstream returned {got}-dimensional vectors, "
                f"expected {self._dim} (params.dim or the first answer)"
            )

    def _post(self, texts: list[str]) -> list[list[float]]:
        body = embeddings_body(texts, self.params.upstream_model)
        failures: list[Failover] = []
        for url in self.pool.order():
            try:
                payload = self._post_to(url, body)
            except Failover as failure:
                failures.append(failure)
                continue
            return parse_embeddings(payload, len(texts))
        raise exhausted_error(self.params.model_name, failures)

    def _post_to(self, url: str, body: dict[str, Any]) -> Any:
        try:
            response = self._client.post(url + "/embeddings", json=body)
        except httpx.HTTPError as exc:
            reason = describe_transport(exc, self.params.timeout_s, self.params.connect_timeout_s)
            self.pool.mark_down(url, reason)
            raise Failover(url, reason) from None
        status = response.status_code
        if status >= 400:
            message = error_message(response.content, status)
            if is_failover_status(status):
                raise Failover(url, f"HTTP {status}: {message}", status)
            raise status_error(self.params.model_name, url, status, message)
        if not self.pool.is_healthy(url):
            self.pool.mark_up(url)
        try:
            return response.json()
        except ValueError:
            raise UpstreamError(f"model '{self.params.model_name}': {url} answered /embeddings with non-JSON") from None

    def close(self) -> None:
        self._client.close()

    async def aclose(self) -> None:
        self.close()
