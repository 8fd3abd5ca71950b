"""Pure translation between Siyada's records and OpenAI wire JSON, for calls to an upstream.

Requests: :func:`chat_body`, :func:`completion_body`, :func:`embeddings_body` build the JSON sent
to a remote OpenAI-compatible server. Responses: :class:`StreamDecoder` turns the decoded
``data:`` events of a streamed answer into :class:`Chunk`s. Nothing here does I/O, so every rule
is unit-tested without a network (``tests/backends/test_openai_wire.py``).

Key decision: tool-call deltas are accumulated by index and released whole, in one chunk, when
the upstream says the turn is finished (or the stream ends), because the internal contract is
that tool calls arrive whole. ``finish_reason`` and ``usage`` are held back to the very last
chunk, since OpenAI sends usage in a separate, choice-less event after the finish event.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from siyada.errors import InvalidRequestError, UpstreamError
from siyada.types import (
    ChatRequest,
    Chunk,
    CompletionRequest,
    FinishReason,
    Message,
    ResponseFormat,
    SamplingParams,
    ToolCall,
    ToolSpec,
    Usage,
)

_SCHEMA_NAME = re.compile(r"[^A-Za-z0-9_-]")
_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "eos": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "stop",
    "cancelled": "cancelled",
}


# --- requests -------------------------------------------------------------------------------


def message_to_wire(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.name:
        out["name"] = message.name
    if message.tool_calls:
        out["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id is not None:
        out["tool_call_id"] = message.tool_call_id
    if message.role == "tool" and out["content"] is None:
        out["content"] = ""  # servers reject a tool result without content
    return out


def tool_to_wire(tool: ToolSpec) -> dict[str, Any]:
    fn: dict[str, Any] = {"name": tool.name, "parameters": tool.parameters}
    if tool.description:
        fn["description"] = tool.description
    return {"type": "function", "function": fn}


def tool_choice_to_wire(choice: str, tools: Sequence[ToolSpec]) -> str | dict[str, Any]:
    """``auto``/``none``/``required`` pass through; a tool name becomes OpenAI's object form."""
    if choice in ("auto", "none", "required"):
        return choice
    if choice not in {t.name for t in tools}:
        raise InvalidRequestError(
            f"tool_choice names the tool '{choice}', which is not among the request's tools", param="tool_choice"
        )
    return {"type": "function", "function": {"name": choice}}


def response_format_to_wire(fmt: ResponseFormat | None) -> dict[str, Any] | None:
    """``json_schema`` accepts either a bare JSON schema or OpenAI's ``{name, schema}`` wrapper."""
    if fmt is None or fmt.type == "text":
        return None
    if fmt.type == "json_object" or not fmt.schema:
        return {"type": "json_object"}
    schema = fmt.schema
    if isinstance(schema.get("schema"), dict) and "name" in schema:
        return {"type": "json_schema", "json_schema": dict(schema)}
    name = _SCHEMA_NAME.sub("_", str(schema.get("title") or "response"))[:64] or "response"
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


def sampling_to_wire(sampling: SamplingParams) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("max_tokens", "temperature", "top_p", "seed", "presence_penalty", "frequency_penalty"):
        value = getattr(sampling, key)
        if value is not None:
            out[key] = value
    if sampling.stop:
        out["stop"] = list(sampling.stop)
    return out


def _stream_fields(include_usage: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"stream": True}
    if include_usage:
        out["stream_options"] = {"include_usage": True}
    return out


def chat_body(request: ChatRequest, model: str, *, include_usage: bool = True) -> dict[str, Any]:
    """The ``/chat/completions`` body for ``request``, always streamed; ``model`` is the upstream's name."""
    body: dict[str, Any] = {"model": model, "messages": [message_to_wire(m) for m in request.messages]}
    body.update(sampling_to_wire(request.sampling))
    fmt = response_format_to_wire(request.response_format)
    if fmt is not None:
        body["response_format"] = fmt
    if request.tools:
        body["tools"] = [tool_to_wire(t) for t in request.tools]
        body["tool_choice"] = tool_choice_to_wire(request.tool_choice, request.tools)
    elif request.tool_choice not in ("auto", "none"):
        raise InvalidRequestError(
            f"tool_choice '{request.tool_choice}' needs tools in the request", param="tool_choice"
        )
    body.update(_stream_fields(include_usage))
    return body


def completion_body(request: CompletionRequest, model: str, *, include_usage: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "prompt": request.prompt}
    body.update(sampling_to_wire(request.sampling))
    fmt = response_format_to_wire(request.response_format)
    if fmt is not None:
        body["response_format"] = fmt
    body.update(_stream_fields(include_usage))
    return body


def embeddings_body(texts: Sequence[str], model: str) -> dict[str, Any]:
    return {"model": model, "input": list(texts), "encoding_format": "float"}


# --- responses ------------------------------------------------------------------------------


def parse_sse_line(line: str) -> dict[str, Any] | None:
    """One line of an SSE stream → its JSON event; ``None`` for comments, blanks and ``[DONE]``."""
    if not line.startswith("data:"):
        return None  # "event:", "id:", ": keep-alive" comments and blank separators
    data = line[5:].strip()
    if not data or data == "[DONE]":
        return None
    try:
        event = json.loads(data)
    except json.JSONDecodeError:
        raise UpstreamError(f"upstream sent a stream event that is not JSON: {data[:200]!r}") from None
    if not isinstance(event, dict):
        raise UpstreamError(f"upstream sent a stream event that is not an object: {data[:200]!r}")
    return event


def is_done_line(line: str) -> bool:
    return line.startswith("data:") and line[5:].strip() == "[DONE]"


def error_message(body: bytes | str, status: int) -> str:
    """The human message inside an upstream error body (OpenAI, vLLM, Ollama, llama-server shapes)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text.strip()[:500] or f"HTTP {status}"
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            msg = err.get("message") or err.get("detail") or err.get("msg")
            if msg:
                return str(msg)
        elif isinstance(err, str):
            return err
        if "detail" in data:
            return str(data["detail"])
    return text.strip()[:500] or f"HTTP {status}"


def finish_reason(value: Any) -> FinishReason | None:
    if value is None:
        return None
    return _FINISH.get(str(value), "stop")


def usage_from_wire(value: Any) -> Usage | None:
    if not isinstance(value, dict):
        return None
    return Usage(
        prompt_tokens=int(value.get("prompt_tokens") or 0), completion_tokens=int(value.get("completion_tokens") or 0)
    )


def new_call_id() -> str:
    return "call_" + secrets.token_hex(12)


@dataclass(slots=True)
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StreamDecoder:
    """Folds OpenAI stream events (chat or legacy completions) into Siyada chunks.

    Feed each decoded event to :meth:`feed`; call :meth:`finish` once the stream ends. Only
    choice 0 is read: Siyada always asks for one choice.
    """

    new_id: Callable[[], str] = new_call_id
    _calls: dict[int, _PartialCall] = field(default_factory=dict)
    _finish: FinishReason | None = None
    _usage: Usage | None = None
    _ended: bool = False

    def feed(self, event: dict[str, Any]) -> list[Chunk]:
        if "error" in event and not event.get("choices"):
            raise UpstreamError(f"upstream error mid-stream: {error_message(json.dumps(event), 502)}")
        usage = usage_from_wire(event.get("usage"))
        if usage is not None:
            self._usage = usage
        choices = event.get("choices") or []
        if not choices or not isinstance(choices[0], dict):
            return []
        choice = choices[0]
        out: list[Chunk] = []
        delta = choice.get("delta") or choice.get("message") or {}
        text = delta.get("content") if isinstance(delta, dict) else None
        if text is None:
            text = choice.get("text")  # legacy /completions
        if text:
            out.append(Chunk(text=str(text)))
        if isinstance(delta, dict):
            self._add_call_deltas(delta.get("tool_calls") or [])
        reason = finish_reason(choice.get("finish_reason"))
        if reason is not None:
            self._finish = reason
            calls = self._release_calls()
            if calls:
                out.append(Chunk(tool_calls=calls))
        return out

    def finish(self) -> Chunk:
        """The final chunk: any tool calls still held, the finish reason and the usage."""
        calls = self._release_calls()
        reason: FinishReason = self._finish or ("tool_calls" if calls else "stop")
        if calls and reason == "stop":
            reason = "tool_calls"
        return Chunk(tool_calls=calls or None, finish_reason=reason, usage=self._usage or Usage())

    def _add_call_deltas(self, deltas: list[Any]) -> None:
        for position, d in enumerate(deltas):
            if not isinstance(d, dict):
                continue
            index = int(d.get("index", position))
            call = self._calls.setdefault(index, _PartialCall())
            if d.get("id"):
                call.id = str(d["id"])
            fn = d.get("function") or {}
            if fn.get("name"):
                call.name += str(fn["name"])
            args = fn.get("arguments")
            if isinstance(args, dict):  # a few servers send parsed arguments
                args = json.dumps(args, ensure_ascii=False)
            if args:
                call.arguments.append(str(args))

    def _release_calls(self) -> list[ToolCall]:
        calls = [
            ToolCall(id=c.id or self.new_id(), name=c.name, arguments="".join(c.arguments) or "{}")
            for _, c in sorted(self._calls.items())
        ]
        self._calls.clear()
        return calls


def parse_embeddings(payload: Any, expected: int) -> list[list[float]]:
    """An ``/embeddings`` answer → vectors in input order, scaled to unit length."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list) or len(data) != expected:
        got = len(data) if isinstance(data, list) else "no"
        raise UpstreamError(f"upstream embeddings answer has {got} vectors, expected {expected}")
    rows = sorted(data, key=lambda item: int(item.get("index", 0)))
    vectors: list[list[float]] = []
    for row in rows:
        vec = row.get("embedding")
        if not isinstance(vec, list) or not vec:
            raise UpstreamError("upstream embeddings answer has a row without a float 'embedding' list")
        vectors.append(normalize([float(x) for x in vec]))
    return vectors


def normalize(vec: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vec))
    return vec if norm == 0 else [x / norm for x in vec]
