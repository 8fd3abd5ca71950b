"""Sources an answer may cite, their [n] numbers, and the structured citations of a final answer.

Every passage a tool returns is registered once in a :class:`SourceBook`, which gives it a stable
number shown to the model as ``[n]``. The final answer keeps the sources its text cites, renumbered
1..k in order of first mention so markers always read [1], [2]...; an answer that cites nothing
though it used sources gets a marker for its best source appended — every grounded answer
carries at least one citation (except a "not found" reply, see :mod:`siyada.agents.relevance`).
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
            text=str(hit.text),
            document_id=str(hit.document_id),
            title=str(getattr(hit, "title", "") or ""),
            source=str(getattr(hit, "source", "") or ""),
            chunk_id=str(getattr(hit, "chunk_id", "") or ""),
            knowledge_base=knowledge_base,
            score=float(getattr(hit, "score", 0.0) or 0.0),
            lang=getattr(hit, "lang", None),
            position=int(getattr(hit, "position", 0) or 0),
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

    def citations(self, order: list[int], snippets: dict[int, str] | None = None) -> list[Citation]:
        """Citations for the sources numbered ``order`` (old numbers, in order of first mention).

        ``snippets`` optionally overrides the snippet shown for a source (extractive answers show
        the sentences they quote rather than the chunk's start).
        """
        out = []
        for new, old in enumerate(order, start=1):
            s = self.sources[old - 1]
            out.append(
                Citation(
                    index=new,
                    document_id=s.document_id,
                    title=s.title,
                    source=s.source,
                    chunk_id=s.chunk_id,
                    knowledge_base=s.knowledge_base,
                    snippet=snippet((snippets or {}).get(old) or s.text),
                    lang=s.lang,
                )
            )
        return out

    def finalize(self, text: str, snippets: dict[int, str] | None = None) -> tuple[str, list[Citation]]:
        """Renumber the markers of a whole text to 1..k and return it with its citations."""
        writer = Renumberer(self)
        out = writer.feed(text) + writer.end()
        return out, self.citations(writer.order, snippets)


_PARTIAL_RE = re.compile(r"\[\d{0,3}$")


@dataclass(slots=True)
class Renumberer:
    """Renumbers the [n] markers of a text that arrives in pieces, so answers can be streamed.

    A marker cites the book's source n while n is valid (unknown numbers are dropped) and is
    renumbered in order of first mention; a piece ending in what may be the start of a marker
    (``[`` or ``[1``) is held back until the next piece decides.
    """

    book: SourceBook
    order: list[int] = field(default_factory=list)
    cite_unmarked: bool = True  # False: a text without markers stays uncited (a "not found" reply)
    _held: str = ""
    _said: str = ""

    @property
    def text(self) -> str:
        """Everything emitted so far."""
        return self._said

    def _sub(self, m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(self.book.sources):
            return ""
        if n not in self.order:
            self.order.append(n)
        return f"[{self.order.index(n) + 1}]"

    def _emit(self, text: str) -> str:
        out = MARKER_RE.sub(self._sub, text)
        self._said += out
        return out

    def feed(self, piece: str) -> str:
        text = self._held + piece
        m = _PARTIAL_RE.search(text)
        cut = m.start() if m else len(text)
        self._held = text[cut:]
        return self._emit(text[:cut])

    def end(self) -> str:
        """Flush what is held; an answer that used sources but cites none gets [1] (its best)."""
        held, self._held = self._held, ""
        out = self._emit(held)
        if not self.order and self.book.sources and self.cite_unmarked:
            self.order.append(1)
            tail = "[1]" if not self._said or self._said.endswith((" ", "\n")) else " [1]"
            out += self._emit(tail)
        return out
