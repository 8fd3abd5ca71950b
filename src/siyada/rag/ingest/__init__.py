"""File readers, one module per format, looked up by extension.

``READERS`` maps an extension to ``"module:function"``; a reader takes the file's bytes and name
and returns a :class:`~siyada.rag.types.ParsedFile`. Readers are imported only when a file of
their format arrives, so PDF or XLSX support costs nothing until used. Every reader raises
:class:`~siyada.rag.errors.IngestError` with a one-line reason for bad input; :func:`read` also
turns any unexpected library exception into one, so a hostile file never stops a batch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import PurePath

from siyada.errors import SiyadaError
from siyada.rag.errors import IngestError, UnsupportedFormatError
from siyada.rag.types import ParsedFile

Reader = Callable[[bytes, str], ParsedFile]

READERS: dict[str, str] = {
    "pdf": "siyada.rag.ingest.pdf:read_pdf",
    "docx": "siyada.rag.ingest.docx:read_docx",
    "html": "siyada.rag.ingest.html:read_html",
    "htm": "siyada.rag.ingest.html:read_html",
    "md": "siyada.rag.ingest.markdown:read_markdown",
    "markdown": "siyada.rag.ingest.markdown:read_markdown",
    "txt": "siyada.rag.ingest.text:read_text",
    "text": "siyada.rag.ingest.text:read_text",
    "csv": "siyada.rag.ingest.table:read_csv",
    "tsv": "siyada.rag.ingest.table:read_csv",
    "xlsx": "siyada.rag.ingest.table:read_xlsx",
}


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def supported(name: str) -> bool:
    return extension(name) in READERS


def reader_for(name: str) -> Reader:
    ext = extension(name)
    if ext not in READERS:
        known = ", ".join(sorted(set(READERS)))
        raise UnsupportedFormatError(f"unsupported file type '.{ext}' (supported: {known})")
    module, _, attr = READERS[ext].partition(":")
    reader: Reader = getattr(importlib.import_module(module), attr)
    return reader


def read(name: str, data: bytes) -> ParsedFile:
    """Parse one file; every failure becomes an :class:`IngestError` naming the reason."""
    if not data:
        raise IngestError("empty file")
    reader = reader_for(name)
    try:
        parsed = reader(data, name)
    except SiyadaError:  # our own reasons (IngestError, a missing optional package) pass unchanged
        raise
    except MemoryError:
        raise IngestError("file expands to more memory than allowed") from None
    except Exception as exc:  # a hostile file may trip any library error; report, never crash
        raise IngestError(f"cannot read {extension(name).upper()} file: {type(exc).__name__}: {exc}") from None
    if not any(b.text.strip() for b in parsed.blocks):
        raise IngestError("no text found in file")
    return parsed
