"""FastAPI dependencies declared once and shared by every router."""

from __future__ import annotations

from fastapi import Request

from siyada.serve.state import AppState


async def get_state(request: Request) -> AppState:
    # async on purpose: FastAPI runs sync dependencies in a thread pool, a costly hop per request.
    state: AppState = request.app.state.siyada
    return state
