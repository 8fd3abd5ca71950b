"""Pure translation between OpenAI/Mistral wire JSON and Siyada's internal records.

No I/O here (the Mistral safety prompt is read once from package data and cached): every function
takes a parsed body or an internal record and returns the other, so the whole API surface is
unit-tested without a server.
"""

from __future__ import annotations

import json
import secrets
import time
from functools import cache
from importlib.resources import files
from typing import Any

from siyada.backends.tool_calls import tool_call_id as new_tool_call_id
from siyada.errors import InvalidRequestError
from siyada.serve.schemas import (
    ChatCompletionBody,
    ChatMessageIn,
    CompletionBody,
    ResponseFormatIn,
    ToolChoiceObject,
    _Sampling,
)
from siyada.types import (
    ChatRequest,
    ChatResult,
    Chunk,
    CompletionRequest,
    Message,
    ResponseFormat,
    SamplingParams,
    ToolCall,
    ToolSpec,
    Usage,
)


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


@cache
def safe_prompt() -> str:
    return files("siyada.serve").joinpath("data/safe_prompt.txt").read_text(encoding="utf-8").strip()


def _text(content: str | list[Any] | None, where: str) -> str | None:
    if content is None or isinstance(content, str):
        return content
    parts = []
    for part in content:
        if part.type != "text" or part.text is None:
            raise InvalidRequestError(
                f"{where}: content parts of type '{part.type}' are not supported; send text", param="messages"
            )
        parts.append(part.text)
    return "".join(parts)


def _message(m: ChatMessageIn, i: int) -> Message:
    role = "system" if m.role == "developer" else m.role
    calls = None
    if m.tool_calls:
        calls = [
            ToolCall(
                id=c.id or new_tool_call_id(),
                name=c.function.name,
                arguments=c.function.arguments
                if isinstance(c.function.arguments, str)
                else json.dumps(c.function.arguments, ensure_ascii=False),
            )
            for c in m.tool_calls
        ]
    if role == "tool" and not m.tool_call_id:
        raise InvalidRequestError(f"messages[{i}]: a tool message needs tool_call_id", param="messages")
    return Message(
        role=role,
        content=_text(m.content, f"messages[{i}]"),
        name=m.name,
        tool_calls=calls,
        tool_call_id=m.tool_call_id,
    )


def _sampling(body: _Sampling, max_tokens: int | None) -> SamplingParams:
    stop = [body.stop] if isinstance(body.stop, str) else list(body.stop or [])
    if len(stop) > 16:
        raise InvalidRequestError("at most 16 stop sequences are accepted", param="stop")
    return SamplingParams(
        max_tokens=max_tokens,
        temperature=body.temperature,
        top_p=body.top_p,
        stop=[s for s in stop if s],
        seed=body.seed if body.seed is not None else body.random_seed,
        presence_penalty=body.presence_penalty,
        frequency_penalty=body.frequency_penalty,
    )


def response_format(rf: ResponseFormatIn | None) -> ResponseFormat | None:
    if rf is None or rf.type == "text":
        return None
    if rf.type == "json_object":
        return ResponseFormat("json_object")
    schema = rf.json_schema.schema_ if rf.json_schema else None
    if not isinstance(schema, dict):
        raise InvalidRequestError(
            "response_format json_schema needs json_schema.schema (an object)", param="response_format"
        )
    return ResponseFormat("json_schema", schema)


def _tool_choice(body: ChatCompletionBody, tools: list[ToolSpec]) -> str:
    choice = body.tool_choice
    if choice is None:
        return "auto" if tools else "none"
    if isinstance(choice, ToolChoiceObject):
        name = choice.function.name
        if name not in {t.name for t in tools}:
            raise InvalidRequestError(f"tool_choice names '{name}', which is not among the tools", param="tool_choice")
        return name
    if choice == "any":  # Mistral's spelling of "required"
        choice = "required"
    if choice == "required" and not tools:
        raise InvalidRequestError("tool_choice requires a tool call but no tools were given", param="tool_choice")
    return choice


def chat_request(body: ChatCompletionBody) -> ChatRequest:
    messages = [_message(m, i) for i, m in enumerate(body.messages)]
    if body.safe_prompt:
        messages.insert(0, Message(role="system", content=safe_prompt()))
    tools = [
        ToolSpec(
            name=t.function.name,
            description=t.function.description or "",
            parameters=t.function.parameters or {"type": "object", "properties": {}},
        )
        for t in body.tools or []
    ]
    return ChatRequest(
        model=body.model,
        messages=messages,
        sampling=_sampling(body, body.max_completion_tokens or body.max_tokens),
        response_format=response_format(body.response_format),
        tools=tools,
        tool_choice=_tool_choice(body, tools),
    )


def completion_request(body: CompletionBody) -> CompletionRequest:
    prompt = body.prompt
    if isinstance(prompt, list):
        if len(prompt) != 1:
            raise InvalidRequestError("send exactly one prompt per request", param="prompt")
        prompt = prompt[0]
    # The OpenAI completions API defaults to 16 tokens; keep that so old clients behave the same.
    return CompletionRequest(
        model=body.model,
        prompt=prompt,
        sampling=_sampling(body, body.max_tokens or 16),
        response_format=response_format(body.response_format),
    )


def usage_json(u: Usage) -> dict[str, int]:
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens, "total_tokens": u.total_tokens}


def tool_calls_json(calls: list[ToolCall]) -> list[dict[str, Any]]:
    return [
        {"index": i, "id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
        for i, c in enumerate(calls)
    ]


def chat_completion_json(cid: str, model: str, result: ChatResult, created: int | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": result.text if result.text or not result.tool_calls else None,
    }
    if result.tool_calls:
        message["tool_calls"] = tool_calls_json(result.tool_calls)
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created or int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": result.finish_reason, "logprobs": None}],
        "usage": usage_json(result.usage),
    }


def chat_chunk_json(
    cid: str,
    model: str,
    created: int,
    *,
    delta: dict[str, Any] | None = None,
    finish_reason: str | None = None,
    usage: Usage | None = None,
    with_choice: bool = True,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish_reason, "logprobs": None}]
        if with_choice
        else [],
    }
    if usage is not None:
        out["usage"] = usage_json(usage)
    return out


def chunk_delta(chunk: Chunk) -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if chunk.text:
        delta["content"] = chunk.text
    if chunk.tool_calls:
        delta["tool_calls"] = tool_calls_json(chunk.tool_calls)
    return delta


def completion_json(cid: str, model: str, result: ChatResult, created: int | None = None) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "text_completion",
        "created": created or int(time.time()),
        "model": model,
        "choices": [{"index": 0, "text": result.text, "finish_reason": result.finish_reason, "logprobs": None}],
        "usage": usage_json(result.usage),
    }


def completion_chunk_json(
    cid: str,
    model: str,
    created: int,
    *,
    text: str = "",
    finish_reason: str | None = None,
    usage: Usage | None = None,
    with_choice: bool = True,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": cid,
        "object": "text_completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "text": text, "finish_reason": finish_reason, "logprobs": None}]
        if with_choice
        else [],
    }
    if usage is not None:
        out["usage"] = usage_json(usage)
    return out


def embedding_inputs(input_: str | list[str] | None, inputs: str | list[str] | None) -> list[str]:
    value = input_ if input_ is not None else inputs
    if value is None:
        raise InvalidRequestError("'input' is required", param="input")
    texts = [value] if isinstance(value, str) else value
    if not texts:
        raise InvalidRequestError("'input' must not be empty", param="input")
    return texts


def embeddings_json(
    model: str, vectors: list[list[float]], prompt_tokens: int, encoding_format: str = "float"
) -> dict[str, Any]:
    data = []
    for i, vec in enumerate(vectors):
        emb: Any = vec
        if encoding_format == "base64":
            import base64
            import struct

            emb = base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode()
        data.append({"object": "embedding", "index": i, "embedding": emb})
    # The id is not in OpenAI's schema but the mistralai client requires one.
    return {
        "id": new_id("embd"),
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }
