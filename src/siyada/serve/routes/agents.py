"""HTTP routes for agents (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
