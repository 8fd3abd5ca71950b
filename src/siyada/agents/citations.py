"""Sources an answer may cite, their [n] numbers, and the structured citations of a final answer.

Every passage a tool returns is registered once in a :class:`SourceBook`, which gives it a stable
number shown to the model as ``[n]``. The final answer keeps the sources its text cites, renumbered
1..k in order of first mention so markers always read [1], [2]...; an answer that cites nothing
though it used sources gets a marker for its best source appended — every grounded answer
carries at least one citation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

MARKER_RE = re.compile(r"\[(\d{1,3})\]")
SNIPPET_CHARS = 240


@dataclass(slots=True)
class Source:
    """One retrieved passage (a chunk of a knowledge-base document)."""

    text: str
    document_id: str
    title: str = ""
    source: str = ""  # file name or URL the document came from
    chunk_id: str = ""
    knowledge_base: str = ""
    score: float = 0.0
    lang: str | None = None
    position: int = 0

    @classmethod
    def from_hit(cls, hit: Any, knowledge_base: str = "") -> Source:
        """Adapt a ``siyada.rag`` Hit (duck-typed so agents do not import the RAG stack)."""
        return cls(
            text=str(hit.text), document_id=str(hit.document_id), title=str(getattr(hit, "title", "") or ""),
            source=str(getattr(hit, "source", "") or ""), chunk_id=str(getattr(hit, "chunk_id", "") or ""),
            knowledge_base=knowledge_base, score=float(getattr(hit, "score", 0.0) or 0.0),
            lang=getattr(hit, "lang", None), position=int(getattr(hit, "position", 0) or 0),
        )

    @property
    def key(self) -> str:
        return f"{self.knowledge_base}/{self.chunk_id or self.document_id}:{self.position}"


@dataclass(slots=True)
class Citation:
    index: int
    document_id: str
    title: str
    source: str
    chunk_id: str
    knowledge_base: str
    snippet: str
    lang: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(slots=True)
class SourceBook:
    sources: list[Source] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def add(self, source: Source) -> int:
        """Register a passage (once) and return its 1-based number."""
        n = self._index.get(source.key)
        if n is None:
            self.sources.append(source)
            n = self._index[source.key] = len(self.sources)
        return n

    def finalize(self, text: str, snippets: dict[int, str] | None = None) -> tuple[str, list[Citation]]:
        """Renumber the markers of ``text`` to 1..k and return it with its citations.

        ``snippets`` optionally overrides the snippet shown for a source (extractive answers show
        the sentence they quote rather than the chunk's start).
        """
        valid = range(1, len(self.sources) + 1)
        order: list[int] = []
        for m in MARKER_RE.finditer(text):
            n = int(m.group(1))
            if n in valid and n not in order:
                order.append(n)
        if not order and self.sources:
            text = text.rstrip() + " [1]"
            order = [1]
        renumber = {old: new for new, old in enumerate(order, start=1)}

        def sub(m: re.Match[str]) -> str:
            n = int(m.group(1))
            return f"[{renumber[n]}]" if n in renumber else ""

        text = MARKER_RE.sub(sub, text)
        citations = []
        for old in order:
            s = self.sources[old - 1]
            citations.append(Citation(
                index=renumber[old], document_id=s.document_id, title=s.title, source=s.source,
                chunk_id=s.chunk_id, knowledge_base=s.knowledge_base,
                snippet=snippet((snippets or {}).get(old) or s.text), lang=s.lang,
            ))
        return text, citations
