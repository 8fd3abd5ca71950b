"""Deterministic scripted backend and embedder, for tests and for benchmarking the gateway alone.

``FakeBackend`` params (all optional):

- ``script``: list of replies used in turn (cycling). A reply is a string, or a mapping with
  ``text``, ``tool_calls`` (list of ``{"name", "arguments"}``; arguments a dict or JSON text) and
  ``finish_reason``. Without a script the backend echoes the last user message (``"echo: ..."``).
- ``delay_s``: pause before each streamed token, to simulate a slow model.
- ``concurrency`` / ``queue``: like the embedded model, one generation at a time behind a bounded
  queue (defaults: 1 and ``settings.queue_size``); ``concurrency: 0`` disables the gate.

It records ``calls`` (every request it received), ``active`` and ``cancelled`` so tests can check
that a disconnect freed the model. Tokens are whitespace-separated words, so usage is exact.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import math
from collections.abc import AsyncIterator, Sequence
from typing import Any

from siyada.backends.base import EmbedKind
from siyada.backends.gate import ModelGate
from siyada.settings import ModelConfig, Settings
from siyada.types import ChatRequest, Chunk, CompletionRequest, FinishReason, ToolCall, Usage


def _tokens(text: str) -> list[str]:
    """Split keeping separators so that joining the pieces gives the text back."""
    out: list[str] = []
    for i, word in enumerate(text.split(" ")):
        out.append(word if i == 0 else " " + word)
    return [t for t in out if t]


class FakeBackend:
    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        p = cfg.params
        self.name = cfg.name
        self.script: list[Any] = list(p.get("script") or [])
        self.delay_s = float(p.get("delay_s", 0.0))
        concurrency = int(p.get("concurrency", 1))
        self.gate = (
            ModelGate(cfg.name, concurrency=concurrency, queue_size=int(p.get("queue", settings.queue_size)))
            if concurrency > 0
            else None
        )
        self._turn = itertools.count()
        self._ids = itertools.count(1)
        self.calls: list[ChatRequest | CompletionRequest] = []
        self.active = 0
        self.cancelled = 0

    def _reply(self, last_user: str) -> dict[str, Any]:
        if not self.script:
            return {"text": f"echo: {last_user}"}
        item = self.script[next(self._turn) % len(self.script)]
        return {"text": item} if isinstance(item, str) else dict(item)

    def _tool_calls(self, reply: dict[str, Any]) -> list[ToolCall] | None:
        raw = reply.get("tool_calls")
        if not raw:
            return None
        calls = []
        for c in raw:
            args = c.get("arguments", {})
            text = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
            calls.append(ToolCall(id=c.get("id") or f"call{next(self._ids):05d}", name=c["name"], arguments=text))
        return calls

    def chat(self, request: ChatRequest) -> AsyncIterator[Chunk]:
        self.calls.append(request)
        last_user = next((m.content or "" for m in reversed(request.messages) if m.role == "user"), "")
        prompt_tokens = sum(len(_tokens(m.content or "")) for m in request.messages)
        return self._run(self._reply(last_user), prompt_tokens, request.sampling.max_tokens)

    def complete(self, request: CompletionRequest) -> AsyncIterator[Chunk]:
        self.calls.append(request)
        return self._run(self._reply(request.prompt), len(_tokens(request.prompt)), request.sampling.max_tokens)

    async def _run(self, reply: dict[str, Any], prompt_tokens: int, max_tokens: int | None) -> AsyncIterator[Chunk]:
        if self.gate is None:
            async for c in self._generate(reply, prompt_tokens, max_tokens):
                yield c
            return
        async with self.gate.slot():
            async for c in self._generate(reply, prompt_tokens, max_tokens):
                yield c

    async def _generate(
        self, reply: dict[str, Any], prompt_tokens: int, max_tokens: int | None
    ) -> AsyncIterator[Chunk]:
        self.active += 1
        done = False
        try:
            tokens = _tokens(str(reply.get("text") or ""))
            finish: FinishReason = reply.get("finish_reason", "stop")
            if max_tokens is not None and len(tokens) > max_tokens:
                tokens, finish = tokens[:max_tokens], "length"
            for tok in tokens:
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                yield Chunk(text=tok)
            calls = self._tool_calls(reply)
            if calls:
                finish = "tool_calls"
            usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=len(tokens))
            done = True
            yield Chunk(tool_calls=calls, finish_reason=finish, usage=usage)
        finally:
            self.active -= 1
            if not done:
                self.cancelled += 1

    async def aclose(self) -> None:
        return None


class FakeEmbedder:
    """Hash-seeded unit vectors of bag-of-words: same text, same vector; shared words, closer."""

    def __init__(self, cfg: ModelConfig, settings: Settings) -> None:
        self._dim = int(cfg.params.get("dim", 64))

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self._dim
        for word in text.lower().split() or [""]:
            h = hashlib.blake2b(word.encode(), digest_size=8).digest()
            vec[int.from_bytes(h[:4], "little") % self._dim] += 1.0 if h[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]
