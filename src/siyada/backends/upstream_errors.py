"""How a failed call to an upstream becomes a :mod:`siyada.errors` exception.

Key decision: the client of Siyada did nothing wrong when *our* upstream rejects our key or does
not know the configured model name, so 401/403/404 become ``UpstreamError`` (502) with a hint at
the params to fix, while 400/422/413 are the client's request and keep a 4xx. Connection errors,
timeouts, 5xx and 429 are :class:`Failover`: the next URL is tried, and only when every URL failed
does :func:`exhausted_error` pick 503 (nothing answered), 502 (upstreams answered with errors) or
the overloaded 503 (every upstream said 429).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from siyada.errors import (
    ContextLengthError,
    InvalidRequestError,
    ModelUnavailableError,
    OverloadedError,
    PayloadTooLargeError,
    SiyadaError,
    UpstreamError,
)


@dataclass
class Failover(Exception):
    """One URL failed before anything was passed on; the caller tries the next one."""

    url: str
    reason: str
    status: int | None = None  # HTTP status when the upstream answered, None for transport errors

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}"


def is_failover_status(status: int) -> bool:
    return status >= 500 or status == 429


def describe_transport(exc: httpx.HTTPError, timeout_s: float, connect_s: float) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {connect_s:g}s"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout_s:g}s"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or "connection failed"
        return "connection refused" if "refused" in text.lower() or "all connection" in text.lower() else text
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def status_error(model: str, url: str, status: int, message: str) -> SiyadaError:
    """A 4xx answer that is not worth retrying elsewhere → the error the client should see."""
    if status in (401, 403):
        return UpstreamError(
            f"model '{model}': the upstream {url} refused our credentials (HTTP {status}: {message}); "
            "check params.api_key / params.api_key_env"
        )
    if status == 404:
        return UpstreamError(
            f"model '{model}': the upstream {url} answered 404 ({message}); check params.model and "
            "that the base URL ends with /v1"
        )
    if status == 413:
        return PayloadTooLargeError(f"model '{model}': the upstream says the request is too large: {message}")
    lowered = message.lower()
    if "context" in lowered and ("length" in lowered or "token" in lowered):
        return ContextLengthError(f"model '{model}': {message}")
    return InvalidRequestError(f"model '{model}': the upstream rejected the request (HTTP {status}): {message}")


def exhausted_error(model: str, failures: Sequence[Failover]) -> SiyadaError:
    tried = "; ".join(str(f) for f in failures) or "no upstream configured"
    statuses = [f.status for f in failures if f.status is not None]
    if statuses and all(s == 429 for s in statuses) and len(statuses) == len(failures):
        return OverloadedError(f"model '{model}': every upstream is rate-limiting (tried {tried})", retry_after=5)
    if statuses:
        return UpstreamError(f"model '{model}': every upstream failed (tried {tried})")
    return ModelUnavailableError(f"model '{model}' is unavailable: no upstream answered (tried {tried})")
