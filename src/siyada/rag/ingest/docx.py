"""DOCX: paragraphs in order, "Heading N"/"Title" styles open sections, tables as row text.

The zip container is checked for bombs before python-docx opens it (see ``guards``).
"""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import Any

from siyada.errors import MissingDependencyError
from siyada.rag.ingest.guards import check_zip
from siyada.rag.types import Block, ParsedFile


def _level(style_name: str) -> int:
    if style_name == "Title":
        return 1
    if style_name.startswith("Heading"):
        digits = style_name.removeprefix("Heading").strip()
        return int(digits) + 1 if digits.isdigit() else 2
    return 0


def _table_text(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells = [c.text.strip() for c in row.cells]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def read_docx(data: bytes, name: str) -> ParsedFile:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise MissingDependencyError("python-docx", "rag") from None
    check_zip(data, "DOCX")
    document = docx.Document(io.BytesIO(data))
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        heading = " > ".join(h for _, h in stack)
        if isinstance(item, Table):
            text = "\n".join(_table_text(item))
            if text:
                blocks.append(Block(text, heading=heading))
            continue
        assert isinstance(item, Paragraph)
        text = item.text.strip()
        level = _level(item.style.name if item.style is not None else "")
        if not text:
            continue
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
        else:
            blocks.append(Block(text, heading=heading))
    title = (document.core_properties.title or "").strip() or next((h for _, h in stack[:1]), "") or PurePath(name).stem
    return ParsedFile(title=title, blocks=blocks, format="docx")
