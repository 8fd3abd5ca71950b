"""HTTP routes for agents: ``GET /v1/agents`` and the ``agent:<name>`` models of chat completions.

The gateway's ``POST /v1/chat/completions`` hands any ``agent:`` model to
:func:`agent_chat_completion`. The answer is an ordinary ``chat.completion`` (or SSE chunks) so
every OpenAI client works unchanged, plus two top-level fields: ``citations`` (document, chunk,
snippet for each [n] marker) and ``siyada`` (answer mode, detected and reply language, the tool
calls made). In a stream the text comes as it is written and both fields ride on the last chunk
before ``[DONE]``. The first piece of a stream is awaited before the response starts, so a failure
to start is an HTTP error with a JSON body; a later one is an ``error`` event before ``[DONE]``.
``finish_reason`` stays OpenAI's (``stop``/``length``); the agent's own reason (``tool_limit``,
``time_limit``) is in ``siyada.finish_reason``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, cast

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.responses import StreamingResponse

from siyada.agents.runner import AgentAnswer
from siyada.agents.service import AGENT_PREFIX, LoadedAgent, agent_service
from siyada.errors import InvalidRequestError, SiyadaError
from siyada.serve import translate
from siyada.serve.deps import get_state
from siyada.serve.state import AppState
from siyada.serve.streaming import SSE_HEADERS, sse
from siyada.types import Message, Role

router = APIRouter(tags=["agents"])
ANSWER_MODES = ("generative", "extractive", "auto")


def agent_json(agent: LoadedAgent) -> dict[str, Any]:
    spec = agent.spec
    return {
        "id": f"{AGENT_PREFIX}{spec.name}",
        "object": "agent",
        "name": spec.name,
        "description": spec.description,
        "examples": spec.examples,
        "languages": spec.languages,
        "model": spec.model,
        "answer_mode": spec.answer_mode,
        "knowledge": [r.name for r in spec.knowledge],
        "tools": [t.name for t in spec.tools],
        "sample": agent.sample,
    }


@router.get("/v1/agents")
def list_agents(state: AppState = Depends(get_state)) -> dict[str, Any]:
    service = agent_service(state)
    return {
        "object": "list",
        "data": [agent_json(a) for a in service.all()],
        "errors": [e.message for e in service.errors],
    }


@router.get("/v1/agents/{name}")
def get_agent(name: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return agent_json(agent_service(state).get(name))


def messages_from(body: dict[str, Any]) -> list[Message]:
    """OpenAI-shaped messages → internal ones (text only; tool turns belong to the agent)."""
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise InvalidRequestError("messages must be a non-empty list", param="messages")
    out: list[Message] = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise InvalidRequestError(f"messages[{i}] must be an object", param="messages")
        role = "system" if m.get("role") == "developer" else m.get("role")
        content = m.get("content")
        if isinstance(content, list):
            content = "".join(str(p.get("text") or "") for p in content if isinstance(p, dict))
        if role in ("user", "assistant", "system") and isinstance(content, str):
            out.append(Message(role=cast(Role, role), content=content))
    if not any(m.role == "user" and (m.content or "").strip() for m in out):
        raise InvalidRequestError("an agent needs a user message with text", param="messages")
    return out


def _mode(body: dict[str, Any]) -> str | None:
    mode = body.get("answer_mode")
    if mode is not None and mode not in ANSWER_MODES:
        raise InvalidRequestError(f"answer_mode must be one of {', '.join(ANSWER_MODES)}", param="answer_mode")
    return mode


def _finish(answer: AgentAnswer) -> str:
    return "length" if answer.finish_reason == "length" else "stop"


def completion_json(cid: str, model: str, created: int, answer: AgentAnswer) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text},
                "finish_reason": _finish(answer),
                "logprobs": None,
            }
        ],
        "usage": translate.usage_json(answer.usage),
        "citations": [c.to_dict() for c in answer.citations],
        "siyada": answer.meta(),
    }


async def _events(
    cid: str,
    model: str,
    created: int,
    stream: AsyncGenerator[str | AgentAnswer, None],
    first: str | AgentAnswer,
    include_usage: bool,
) -> AsyncIterator[bytes]:
    try:
        yield sse(translate.chat_chunk_json(cid, model, created, delta={"role": "assistant", "content": ""}))
        item = first
        while not isinstance(item, AgentAnswer):
            yield sse(translate.chat_chunk_json(cid, model, created, delta={"content": item}))
            item = await anext(stream)
        last = translate.chat_chunk_json(cid, model, created, delta={}, finish_reason=_finish(item))
        last["citations"] = [c.to_dict() for c in item.citations]
        last["siyada"] = item.meta()
        yield sse(last)
        if include_usage:
            yield sse(translate.chat_chunk_json(cid, model, created, usage=item.usage, with_choice=False))
    except SiyadaError as exc:  # after the first byte the status is sent: report in the stream
        yield sse({"error": {"message": exc.message, "type": exc.error_type, "code": exc.code}})
    finally:
        await stream.aclose()  # a gone client cancels the answer and the model's generation
    yield sse("[DONE]")


async def agent_chat_completion(state: AppState, body: dict[str, Any], request: Request) -> Response:
    """Answer an ``agent:<name>`` chat completion (called by the gateway's chat route)."""
    model = str(body.get("model") or "")
    service = agent_service(state)
    service.get(model)  # unknown agent → 404 before any work
    messages = messages_from(body)
    mode = _mode(body)
    cid, created = translate.new_id("chatcmpl"), int(time.time())
    if not body.get("stream"):
        answer = await service.answer(model, messages, mode)
        return JSONResponse(completion_json(cid, model, created, answer))
    options = body.get("stream_options") or {}
    include_usage = bool(isinstance(options, dict) and options.get("include_usage"))
    stream = service.stream(model, messages, mode)
    # The first piece is awaited before the response starts, so a failure to start (model
    # unavailable, queue full) is still an HTTP error with its status.
    try:
        first = await anext(stream)
    except BaseException:
        await stream.aclose()
        raise
    return StreamingResponse(
        _events(cid, model, created, stream, first, include_usage), media_type="text/event-stream", headers=SSE_HEADERS
    )
