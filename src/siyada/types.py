"""Small internal records shared by backends, the HTTP layer, RAG and agents.

Plain slotted dataclasses: the HTTP edge converts OpenAI/Mistral JSON to these (see
``siyada.serve.translate``) and back, so backends never see wire formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]
FinishReason = Literal["stop", "length", "tool_calls", "cancelled"]


@dataclass(slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as both OpenAI and Mistral send it


@dataclass(slots=True)
class Message:
    role: Role
    content: str | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None


@dataclass(slots=True)
class ToolSpec:
    name: str
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})


@dataclass(slots=True)
class ResponseFormat:
    type: Literal["text", "json_object", "json_schema"] = "text"
    schema: dict[str, Any] | None = None


@dataclass(slots=True)
class SamplingParams:
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: list[str] = field(default_factory=list)
    seed: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None


@dataclass(slots=True)
class ChatRequest:
    model: str
    messages: list[Message]
    sampling: SamplingParams = field(default_factory=SamplingParams)
    response_format: ResponseFormat | None = None
    tools: list[ToolSpec] = field(default_factory=list)
    # "auto" | "none" | "required" | a tool name that must be called
    tool_choice: str = "auto"


@dataclass(slots=True)
class CompletionRequest:
    model: str
    prompt: str
    sampling: SamplingParams = field(default_factory=SamplingParams)
    response_format: ResponseFormat | None = None


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(slots=True)
class Chunk:
    """One streamed piece of a generation.

    Text arrives in ``text``; tool calls arrive whole, in one chunk, because both SDKs accept that
    and a grammar-constrained call is only known once parsed. The last chunk carries
    ``finish_reason`` and ``usage``.
    """

    text: str = ""
    tool_calls: list[ToolCall] | None = None
    finish_reason: FinishReason | None = None
    usage: Usage | None = None


@dataclass(slots=True)
class ChatResult:
    """A whole (non-streamed) generation, folded from its chunks."""

    text: str
    tool_calls: list[ToolCall] | None
    finish_reason: FinishReason
    usage: Usage
