"""Structure-aware chunking: sections first, then paragraphs, then a word window with overlap.

Consecutive paragraphs under the same heading are packed together up to ``max_words``; a
paragraph longer than that is cut into windows of ``max_words`` words overlapping by
``overlap`` words. Words, not model tokens: the budget must hold for every embedder and every
script, and 180 words stay under multilingual-e5's 512-token limit even for Arabic text, which
splits into about twice as many sub-word tokens as French.
"""

from __future__ import annotations

from dataclasses import dataclass

from siyada.rag.types import Block


@dataclass(slots=True, frozen=True)
class ChunkConfig:
    max_words: int = 180
    overlap: int = 30


def _windows(words: list[str], size: int, overlap: int) -> list[str]:
    step = max(1, size - overlap)
    out = []
    for start in range(0, len(words), step):
        out.append(" ".join(words[start : start + size]))
        if start + size >= len(words):
            break
    return out


def chunk_blocks(blocks: list[Block], config: ChunkConfig | None = None) -> list[Block]:
    """Pack and split blocks into chunk-sized blocks (heading and first page kept)."""
    cfg = config or ChunkConfig()
    out: list[Block] = []
    current: list[str] = []
    current_words = 0
    head: Block | None = None

    def flush() -> None:
        nonlocal current, current_words, head
        if current and head is not None:
            out.append(Block("\n\n".join(current), heading=head.heading, page=head.page))
        current, current_words, head = [], 0, None

    for block in blocks:
        words = block.text.split()
        if not words:
            continue
        if block.atomic:
            flush()
            out.append(block)
            continue
        if len(words) > cfg.max_words:
            flush()
            out.extend(
                Block(w, heading=block.heading, page=block.page) for w in _windows(words, cfg.max_words, cfg.overlap)
            )
            continue
        if head is not None and (block.heading != head.heading or current_words + len(words) > cfg.max_words):
            flush()
        if head is None:
            head = block
        current.append(block.text)
        current_words += len(words)
    flush()
    return out
