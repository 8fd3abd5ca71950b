"""Markdown: ATX headings (``#``) open sections; paragraphs, lists and code stay whole blocks.

No Markdown library: headings and blank-line paragraphs are all chunking needs, and the text
is indexed as written (emphasis marks are harmless to BM25 and to the embedder).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from siyada.rag.ingest.guards import decode_text
from siyada.rag.ingest.text import paragraphs
from siyada.rag.types import Block, ParsedFile

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def read_markdown(data: bytes, name: str) -> ParsedFile:
    text = _FRONT_MATTER.sub("", decode_text(data).replace("\r\n", "\n"))
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    title = ""
    buffer: list[str] = []
    in_code = False

    def flush() -> None:
        heading = " > ".join(h for _, h in stack)
        blocks.extend(Block(p, heading=heading) for p in paragraphs("\n".join(buffer)))
        buffer.clear()

    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match is None:
            buffer.append(line)
            continue
        flush()
        level, heading = len(match.group(1)), match.group(2)
        title = title or heading
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
    flush()
    return ParsedFile(title=title or PurePath(name).stem, blocks=blocks, format="md")
