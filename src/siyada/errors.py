"""The exception tree shared by every layer.

Each error carries an HTTP status and an OpenAI-style ``type`` so the HTTP layer maps any of
them to a 4xx/5xx answer without knowing where it came from, and the CLI prints its message
on one line.
"""

from __future__ import annotations


class SiyadaError(Exception):
    """Base of every error Siyada raises on purpose."""

    status_code = 500
    error_type = "server_error"
    code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code


class ConfigError(SiyadaError):
    """Settings, config files or specs that cannot be used as written."""

    status_code = 500
    error_type = "configuration_error"


class InvalidRequestError(SiyadaError):
    status_code = 400
    error_type = "invalid_request_error"


class ContextLengthError(InvalidRequestError):
    code = "context_length_exceeded"


class NotFoundError(SiyadaError):
    status_code = 404
    error_type = "not_found_error"


class ModelNotFoundError(NotFoundError):
    code = "model_not_found"


class PayloadTooLargeError(SiyadaError):
    status_code = 413
    error_type = "invalid_request_error"
    code = "payload_too_large"


class OverloadedError(SiyadaError):
    """The model's queue is full; the client should retry later."""

    status_code = 503
    error_type = "overloaded_error"
    code = "queue_full"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ModelUnavailableError(SiyadaError):
    """A configured model cannot be loaded or reached (missing file, upstream down)."""

    status_code = 503
    error_type = "model_unavailable"


class UpstreamError(SiyadaError):
    status_code = 502
    error_type = "upstream_error"


class MissingDependencyError(ConfigError):
    """An optional package is not installed; the message names the extra to install."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"the optional package '{package}' is not installed: pip install 'siyada[{extra}]'")
