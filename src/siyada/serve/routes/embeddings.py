"""``POST /v1/embeddings`` — OpenAI and Mistral embeddings (Mistral's ``inputs`` accepted)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from siyada.backends.base import EmbedKind
from siyada.errors import InvalidRequestError
from siyada.serve import translate
from siyada.serve.deps import get_state
from siyada.serve.schemas import EmbeddingBody
from siyada.serve.state import AppState

router = APIRouter(tags=["gateway"])

MAX_INPUTS = 2048


@router.post("/v1/embeddings")
async def embeddings(body: EmbeddingBody, state: AppState = Depends(get_state)) -> dict[str, Any]:
    texts = translate.embedding_inputs(body.input, body.inputs)
    if len(texts) > MAX_INPUTS:
        raise InvalidRequestError(f"at most {MAX_INPUTS} inputs per request", param="input")
    model = body.model or state.settings.default_embedding_model
    embedder = state.registry.embedder(model)
    # dim may probe a remote embedder over HTTP the first time: keep it off the event loop.
    dim = await run_in_threadpool(lambda: embedder.dim)
    if body.dimensions is not None and body.dimensions != dim:
        raise InvalidRequestError(
            f"the model '{model}' has {dim} dimensions; 'dimensions' cannot change that", param="dimensions"
        )
    kind: EmbedKind = "query" if body.input_type == "query" else "passage"
    vectors = await run_in_threadpool(embedder.embed, texts, kind=kind)
    # Whitespace words approximate tokens for usage; the embedder's own count is not exposed.
    tokens = sum(len(t.split()) for t in texts)
    state.metrics.tokens.labels(model=model, kind="embedding").inc(tokens)
    return translate.embeddings_json(model, vectors, tokens, body.encoding_format)
