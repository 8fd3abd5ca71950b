"""FastAPI dependencies declared once and shared by every router."""

from __future__ import annotations

from fastapi import Request

from siyada.serve.state import AppState


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.siyada
    return state
