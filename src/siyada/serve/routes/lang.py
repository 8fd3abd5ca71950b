"""HTTP routes for lang (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter()
