"""Records of the knowledge-base layer: what readers produce, what the store keeps, what search returns.

Plain slotted dataclasses; the HTTP layer turns them into JSON with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FileStatus = Literal["added", "replaced", "unchanged", "error"]
SearchMode = Literal["hybrid", "hybrid_plain", "bm25", "bm25_plain", "dense"]
# hybrid: search keys + concepts + dense (the default); hybrid_keys: without the concept bridge.
SEARCH_MODES: tuple[str, ...] = ("hybrid", "hybrid_keys", "hybrid_plain", "bm25", "bm25_plain", "concepts", "dense")


@dataclass(slots=True)
class Block:
    """A piece of a parsed file in reading order.

    ``heading`` is the section path ("Chapter > Section"); ``atomic`` blocks (table row groups)
    become one chunk each and are never merged with their neighbours.
    """

    text: str
    heading: str = ""
    page: int | None = None
    atomic: bool = False


@dataclass(slots=True)
class ParsedFile:
    title: str
    blocks: list[Block]
    format: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Chunk:
    id: int
    document_id: str
    position: int
    text: str
    heading: str = ""
    lang: str = "und"
    page: int | None = None


@dataclass(slots=True)
class Document:
    id: str
    title: str
    source: str
    format: str
    content_hash: str
    size: int
    lang: str = "und"
    tags: list[str] = field(default_factory=list)
    chunks: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Hit:
    """One search result, with everything a citation needs."""

    text: str
    score: float
    document_id: str
    title: str
    source: str
    chunk_id: int
    position: int
    lang: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class KBInfo:
    name: str
    description: str
    store: str
    embedder: str
    dim: int
    documents: int
    chunks: int
    created_at: float


@dataclass(slots=True)
class FileResult:
    """What happened to one input file; ``status_code`` is the HTTP status of an error."""

    path: str
    status: FileStatus
    document_id: str | None = None
    chunks: int = 0
    error: str | None = None
    status_code: int = 200


@dataclass(slots=True)
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors
