"""``POST /v1/completions`` — raw text completion (no chat template)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from siyada.serve import translate
from siyada.serve.deps import get_state
from siyada.serve.schemas import CompletionBody
from siyada.serve.state import AppState
from siyada.serve.streaming import MeteredStream, collect_unless_disconnected, first_chunk, stream_response
from siyada.types import Chunk, Usage

router = APIRouter(tags=["gateway"])


@router.post("/v1/completions", response_model=None)
async def completions(body: CompletionBody, request: Request, state: AppState = Depends(get_state)) -> Response:
    req = translate.completion_request(body)
    backend = state.registry.backend(body.model)
    stream = MeteredStream(backend.complete(req), state.metrics, body.model)
    cid, created = translate.new_id("cmpl"), int(time.time())
    if not body.stream:
        result = await collect_unless_disconnected(request, stream)
        if result is None:
            return Response(status_code=499)
        if body.echo:
            result.text = req.prompt + result.text
        return JSONResponse(translate.completion_json(cid, body.model, result, created))

    first = await first_chunk(stream)
    include_usage = bool(body.stream_options and body.stream_options.include_usage)

    def frame(chunk: Chunk) -> list[dict[str, Any]]:
        if not chunk.text and not chunk.finish_reason:
            return []
        return [
            translate.completion_chunk_json(
                cid, body.model, created, text=chunk.text, finish_reason=chunk.finish_reason
            )
        ]

    def tail(usage: Usage | None) -> list[dict[str, Any]]:
        if not include_usage:
            return []
        return [translate.completion_chunk_json(cid, body.model, created, usage=usage or Usage(), with_choice=False)]

    return stream_response(stream, first, frame, tail)
