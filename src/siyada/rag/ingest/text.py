"""Plain text: paragraphs separated by blank lines; the first short line may serve as title."""

from __future__ import annotations

import re
from pathlib import PurePath

from siyada.rag.ingest.guards import decode_text
from siyada.rag.types import Block, ParsedFile

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def read_text(data: bytes, name: str) -> ParsedFile:
    text = decode_text(data)
    blocks = [Block(p) for p in paragraphs(text)]
    return ParsedFile(title=PurePath(name).stem, blocks=blocks, format="txt")
