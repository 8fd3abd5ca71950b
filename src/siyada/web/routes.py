"""Routes of the web chat: the page at ``/`` and its static files under ``/web/static/``.

No front-end build and no CDN: one HTML template, one stylesheet and one script shipped in the
package, served by name from a fixed list (no path from the URL ever reaches the file system).
The page talks to the public API only — ``GET /v1/agents`` and streaming
``POST /v1/chat/completions`` with ``model: agent:<name>`` — so it shows exactly what a client gets.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from siyada import __version__
from siyada.errors import NotFoundError

router = APIRouter(include_in_schema=False)

STATIC = {"chat.js": "text/javascript; charset=utf-8", "chat.css": "text/css; charset=utf-8"}
# The page may load only its own files and call only its own origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'"
)


@cache
def _asset(folder: str, name: str) -> bytes:
    return files("siyada.web").joinpath(folder, name).read_bytes()


@router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    html = _asset("templates", "index.html").decode("utf-8").replace("{{version}}", __version__)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})


@router.get("/web/static/{name}")
def static(name: str) -> Response:
    media_type = STATIC.get(name)
    if media_type is None:
        raise NotFoundError(f"no static file '{name}'")
    return Response(_asset("static", name), media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})
