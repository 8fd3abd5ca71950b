"""Errors raised by knowledge bases; each carries the HTTP status the API answers with."""

from __future__ import annotations

from siyada.errors import InvalidRequestError, PayloadTooLargeError, SiyadaError


class KnowledgeBaseExistsError(SiyadaError):
    status_code = 409
    error_type = "invalid_request_error"
    code = "knowledge_base_exists"


class IngestError(SiyadaError):
    """A file that cannot be ingested; the batch goes on without it."""

    status_code = 422
    error_type = "invalid_request_error"
    code = "unreadable_file"


class UnsupportedFormatError(IngestError):
    status_code = 415
    code = "unsupported_format"


class FileTooLargeError(PayloadTooLargeError):
    pass


class EmbedderMismatchError(InvalidRequestError):
    code = "embedder_mismatch"


class StoreUnavailableError(SiyadaError):
    """The vector store cannot be reached or opened (a Milvus server down, a locked milvus-lite file)."""

    status_code = 503
    error_type = "store_unavailable"
