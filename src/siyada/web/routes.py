"""Routes of the web chat (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
