"""PDF: the text layer, one block per page paragraph, pages kept for citations.

Encrypted files are tried with the empty password (many "protected" PDFs only restrict
printing); others are refused with a clear reason. Scanned PDFs without a text layer are
refused rather than indexed as empty (no OCR here).
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePath

from siyada.errors import MissingDependencyError
from siyada.rag.errors import IngestError
from siyada.rag.ingest.text import paragraphs
from siyada.rag.types import Block, ParsedFile


def read_pdf(data: bytes, name: str) -> ParsedFile:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    except ImportError:
        raise MissingDependencyError("pypdf", "rag") from None
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("not a PDF file (missing %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken files log noisily, we report once
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("encrypted PDF (password protected); remove the password first")
        blocks: list[Block] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            blocks.extend(Block(p, page=number) for p in paragraphs(text))
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else ""
    except DependencyError:
        raise IngestError("encrypted PDF that needs the 'cryptography' package to open") from None
    except FileNotDecryptedError:
        raise IngestError("encrypted PDF (password protected); remove the password first") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise IngestError(f"corrupt or truncated PDF: {exc}") from None
    if not blocks:
        raise IngestError("PDF has no text layer (scanned images need OCR first)")
    return ParsedFile(
        title=title or PurePath(name).stem, blocks=blocks, format="pdf", metadata={"pages": len(reader.pages)}
    )
