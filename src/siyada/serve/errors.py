"""Map every failure to an HTTP answer in the OpenAI error shape; never a 500 for bad input.

- :class:`SiyadaError` → its own status and type (``{"error": {"message", "type", "param", "code"}}``);
  503s carry ``Retry-After``.
- FastAPI validation errors → 422 with FastAPI's ``detail`` list *and* an ``error`` object, so both
  FastAPI-style and OpenAI-style clients find what they expect.
- Malformed JSON → 400 (FastAPI reports it as a validation error of type ``json_invalid``).
- Anything unexpected → 500 with a generic message (the traceback goes to the server log only).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from siyada.errors import OverloadedError, SiyadaError

log = logging.getLogger("siyada.serve")


def error_body(message: str, type_: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def siyada_error_response(exc: SiyadaError) -> JSONResponse:
    headers = {}
    if isinstance(exc, OverloadedError):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(
        error_body(exc.message, exc.error_type, param=exc.param, code=exc.code),
        status_code=exc.status_code,
        headers=headers,
    )


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for e in errors[:5]:
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        parts.append(f"{loc}: {e.get('msg')}" if loc else str(e.get("msg")))
    return "; ".join(parts)


async def _on_siyada_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SiyadaError)
    if exc.status_code >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc.message)
    return siyada_error_response(exc)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(
            error_body("the request body is not valid JSON", "invalid_request_error", code="invalid_json"),
            status_code=400,
        )
    body = error_body(_validation_message(errors), "invalid_request_error", code="validation_error")
    body["detail"] = jsonable_encoder(
        errors, custom_encoder={Exception: str, bytes: lambda b: b.decode(errors="replace")}
    )
    return JSONResponse(body, status_code=422)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_ = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    body = error_body(detail, type_)
    body["detail"] = exc.detail
    return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(error_body("internal server error", "server_error"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SiyadaError, _on_siyada_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
