"""``GET /v1/models`` and ``GET /v1/models/{name}`` — the registry, with its governance labels."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from siyada.serve.deps import get_state
from siyada.serve.state import AppState
from siyada.settings import ModelConfig

router = APIRouter(tags=["gateway"])


def model_json(cfg: ModelConfig, created: int = 0) -> dict[str, Any]:
    return {"id": cfg.name, "object": "model", "created": created, "owned_by": cfg.labels.get("operator", "siyada"),
            "kind": cfg.kind, "backend": cfg.backend, "labels": cfg.labels, "tags": cfg.tags}


@router.get("/v1/models")
async def list_models(state: AppState = Depends(get_state)) -> dict[str, Any]:
    return {"object": "list", "data": [model_json(c) for c in state.registry.configs()]}


@router.get("/v1/models/{name:path}")
async def get_model(name: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    return model_json(state.registry.config(name))
