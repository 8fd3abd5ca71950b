"""Assembles the FastAPI application: state, error handlers, middleware, routers. Nothing else."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from siyada import __version__
from siyada.backends.registry import ModelRegistry
from siyada.serve.errors import install_error_handlers
from siyada.serve.metrics import Metrics
from siyada.serve.middleware import install_middleware
from siyada.serve.state import AppState
from siyada.settings import Settings

# Order matters only for the web page, which owns "/" and must come last.
ROUTERS = [
    "siyada.serve.routes.health",
    "siyada.serve.routes.models",
    "siyada.serve.routes.chat",
    "siyada.serve.routes.completions",
    "siyada.serve.routes.embeddings",
    "siyada.serve.routes.lang",
    "siyada.serve.routes.knowledge",
    "siyada.serve.routes.agents",
    "siyada.web.routes",
]


# Nothing leaves the machine: recent FastAPI releases ship OpenTelemetry hooks that can add exporters
# from environment variables (FASTAPI_OTEL_AUTO_CONFIGURE); Siyada turns all of it off explicitly.
NO_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False, "auto_configure": False}


def _fastapi_kwargs() -> dict[str, Any]:
    if "telemetry" in inspect.signature(FastAPI).parameters:
        return {"telemetry": NO_TELEMETRY}
    return {}


def create_app(settings: Settings, registry: ModelRegistry | None = None) -> FastAPI:
    state = AppState(settings=settings, registry=registry or ModelRegistry(settings), metrics=Metrics())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from siyada.agents.service import warm_up

        warm_up(state)  # loads agents and fills their bases in a thread; routes wait for it
        yield
        await state.registry.aclose()
        for svc in state._lazy.values():
            close = getattr(svc, "close", None)
            if close is not None:
                close()

    app = FastAPI(title="Siyada", version=__version__, lifespan=lifespan, **_fastapi_kwargs())
    app.state.siyada = state
    install_error_handlers(app)
    install_middleware(app, state)
    for name in ROUTERS:
        app.include_router(importlib.import_module(name).router)
    return app
