"""``POST /v1/chat/completions`` — OpenAI and Mistral chat, streaming or not.

Requests for ``agent:<name>`` models are handed to the agents router; everything else goes to the
model's backend through the ``Backend`` protocol.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from siyada.serve import translate
from siyada.serve.deps import get_state
from siyada.serve.schemas import ChatCompletionBody
from siyada.serve.state import AppState
from siyada.serve.streaming import MeteredStream, collect_unless_disconnected, first_chunk, stream_response
from siyada.types import Chunk, Usage

router = APIRouter(tags=["gateway"])

AGENT_PREFIX = "agent:"


@router.post("/v1/chat/completions", response_model=None)
async def chat_completions(
    body: ChatCompletionBody, request: Request, state: AppState = Depends(get_state)
) -> Response:
    if body.model.startswith(AGENT_PREFIX):
        from siyada.serve.routes.agents import agent_chat_completion

        response: Response = await agent_chat_completion(
            state, body.model_dump(exclude_none=True, by_alias=True), request
        )
        return response
    chat_req = translate.chat_request(body)
    backend = state.registry.backend(body.model)
    stream = MeteredStream(backend.chat(chat_req), state.metrics, body.model)
    cid, created = translate.new_id("chatcmpl"), int(time.time())
    if not body.stream:
        result = await collect_unless_disconnected(request, stream)
        if result is None:
            return Response(status_code=499)
        return JSONResponse(translate.chat_completion_json(cid, body.model, result, created))

    first = await first_chunk(stream)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    started = False

    def frame(chunk: Chunk) -> list[dict[str, Any]]:
        nonlocal started
        events = []
        delta = translate.chunk_delta(chunk)
        if not started:
            # Both SDKs expect the role in the first delta.
            delta = {"role": "assistant", "content": delta.pop("content", ""), **delta}
            started = True
        if delta or chunk.finish_reason:
            events.append(
                translate.chat_chunk_json(cid, body.model, created, delta=delta, finish_reason=chunk.finish_reason)
            )
        return events

    def tail(usage: Usage | None) -> list[dict[str, Any]]:
        if not include_usage:
            return []
        return [translate.chat_chunk_json(cid, body.model, created, usage=usage or Usage(), with_choice=False)]

    return stream_response(stream, first, frame, tail)
