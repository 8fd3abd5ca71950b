"""The two protocols the rest of Siyada depends on.

``Backend`` generates text; ``Embedder`` turns texts into vectors. The HTTP layer, the RAG
layer and the agent runner only ever see these, never llama.cpp or httpx, so a new runtime is
one module implementing one of them. Generation is always a stream of :class:`Chunk`; the
non-streaming API folds it with :func:`collect`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Literal, Protocol, runtime_checkable

from siyada.types import ChatRequest, ChatResult, Chunk, CompletionRequest, FinishReason, ToolCall, Usage

EmbedKind = Literal["query", "passage"]


@runtime_checkable
class Backend(Protocol):
    """A text generator. Iterating a stream drives generation; closing it (``aclose``)
    must stop the work at once and free the model."""

    def chat(self, request: ChatRequest) -> AsyncIterator[Chunk]: ...

    def complete(self, request: CompletionRequest) -> AsyncIterator[Chunk]: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class Embedder(Protocol):
    """Texts to unit-length vectors. ``kind`` lets asymmetric models (e5) add their prefixes."""

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "passage") -> list[list[float]]: ...


async def collect(stream: AsyncIterator[Chunk]) -> ChatResult:
    """Fold a chunk stream into one result (the non-streaming API and the agent runner use it)."""
    parts: list[str] = []
    calls: list[ToolCall] = []
    finish: FinishReason = "stop"
    usage = Usage()
    async for chunk in stream:
        if chunk.text:
            parts.append(chunk.text)
        if chunk.tool_calls:
            calls.extend(chunk.tool_calls)
        if chunk.finish_reason is not None:
            finish = chunk.finish_reason
        if chunk.usage is not None:
            usage = chunk.usage
    return ChatResult(text="".join(parts), tool_calls=calls or None, finish_reason=finish, usage=usage)
