"""``GET /health`` (liveness plus which models are loaded) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from siyada import __version__
from siyada.serve.deps import get_state
from siyada.serve.state import AppState

router = APIRouter(tags=["operations"])


@router.get("/health")
async def health(state: AppState = Depends(get_state)) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": __version__,
        "models": [c.name for c in state.registry.configs()],
        "loaded": state.registry.loaded(),
    }


@router.get("/metrics")
async def metrics(state: AppState = Depends(get_state)) -> Response:
    # Queue depth is read from each loaded backend's gate at scrape time rather than tracked twice.
    for name in state.registry.loaded():
        gate = getattr(state.registry.peek(name), "gate", None)
        if gate is not None:
            state.metrics.queue_depth.labels(model=name).set(gate.waiting)
            state.metrics.in_flight.labels(model=name).set(gate.running)
    return Response(state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")
