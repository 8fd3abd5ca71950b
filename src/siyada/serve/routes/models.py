"""``GET /v1/models`` and ``GET /v1/models/{name}`` — the registry, with its governance labels.

Agents are listed too, as ``agent:<name>`` models, so chat front-ends that discover models from
this endpoint (Open WebUI, LibreChat, ...) offer them without extra configuration.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from siyada.serve.deps import get_state
from siyada.serve.routes.chat import AGENT_PREFIX
from siyada.serve.state import AppState
from siyada.settings import ModelConfig

router = APIRouter(tags=["gateway"])


def model_json(cfg: ModelConfig, created: int = 0) -> dict[str, Any]:
    return {
        "id": cfg.name,
        "object": "model",
        "created": created,
        "owned_by": cfg.labels.get("operator", "siyada"),
        "kind": cfg.kind,
        "backend": cfg.backend,
        "labels": cfg.labels,
        "tags": cfg.tags,
    }


def _agents(state: AppState) -> list[Any]:
    from siyada.agents.service import agent_service, agents_configured

    return agent_service(state).all() if agents_configured(state.settings) else []


def agent_model_json(agent: Any) -> dict[str, Any]:
    spec = agent.spec
    return {
        "id": f"{AGENT_PREFIX}{spec.name}",
        "object": "model",
        "created": 0,
        "owned_by": "siyada",
        "kind": "agent",
        "description": spec.description,
        "model": spec.model,
    }


@router.get("/v1/models")
async def list_models(state: AppState = Depends(get_state)) -> dict[str, Any]:
    agents = await run_in_threadpool(_agents, state)  # the first call reads the agent specs
    return {
        "object": "list",
        "data": [model_json(c) for c in state.registry.configs()] + [agent_model_json(a) for a in agents],
    }


@router.get("/v1/models/{name:path}")
async def get_model(name: str, state: AppState = Depends(get_state)) -> dict[str, Any]:
    if name.startswith(AGENT_PREFIX):
        from siyada.agents.service import agent_service

        agent = await run_in_threadpool(agent_service(state).get, name)
        return agent_model_json(agent)
    return model_json(state.registry.config(name))
