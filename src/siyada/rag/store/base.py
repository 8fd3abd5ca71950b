"""The ``Store`` protocol a knowledge base is written to, and the registry of implementations.

Every store keeps documents, chunks and the BM25 index in one SQLite file (FTS5 is the keyword
engine everywhere); implementations differ in where vectors live: in the same SQLite file
(``sqlite``, the default) or in Milvus (``milvus``). Writes of one document are atomic: a reader
sees the old chunks or the new ones, never a mix, and a killed writer leaves the old ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from siyada.errors import InvalidRequestError
from siyada.rag.types import Chunk, Document

STORES: dict[str, str] = {
    "sqlite": "siyada.rag.store.sqlite:SqliteStore",
    "milvus": "siyada.rag.store.milvus:MilvusStore",
}


@dataclass(slots=True)
class IndexedChunk:
    """A chunk with the texts BM25 indexes: plain normalised words, search keys, concept tokens."""

    chunk: Chunk
    plain: str
    keys: str
    concepts: str = ""


class Store(Protocol):
    def put(self, doc: Document, chunks: list[IndexedChunk], vectors: np.ndarray) -> None:
        """Insert or atomically replace ``doc`` with its chunks and their vectors."""

    def remove(self, document_id: str) -> bool: ...

    def keyword(
        self, terms: list[str], column: str, k: int, filters: dict[str, Any] | None
    ) -> list[tuple[int, float]]: ...

    def indexed(self, ids: list[int], column: str) -> dict[int, str]: ...

    def change_mark(self) -> str:
        """A value that changes whenever a document is added, replaced or removed (by any process)."""

    def chunk_texts(self) -> list[tuple[str, str]]:
        """Every chunk's indexed text (heading + text) and language, in document order."""

    def rekey_concepts(self, concepts: Callable[[str, str], str]) -> int:
        """Recompute every chunk's concept tokens with ``concepts(indexed_text, lang)``; returns the count."""

    def dense(self, vector: np.ndarray, k: int, filters: dict[str, Any] | None) -> list[tuple[int, float]]: ...

    def centroids(self) -> dict[str, np.ndarray]:
        """Mean vector per chunk language ({} when the store cannot tell: no centering)."""

    def chunk_langs(self, ids: list[int]) -> dict[int, str]: ...

    def document(self, document_id: str) -> Document | None: ...

    def documents(self) -> list[Document]: ...

    def chunks(self, ids: list[int]) -> dict[int, tuple[Chunk, Document]]: ...

    def meta(self) -> dict[str, str]: ...

    def set_meta(self, values: dict[str, str]) -> None: ...

    def counts(self) -> tuple[int, int]: ...

    def check(self) -> list[str]: ...

    def close(self) -> None: ...


def open_store(kind: str, folder: Path, options: dict[str, Any] | None = None) -> Store:
    if kind not in STORES:
        raise InvalidRequestError(f"unknown store '{kind}' (known: {', '.join(STORES)})", param="store")
    module, _, attr = STORES[kind].partition(":")
    store: Store = getattr(importlib.import_module(module), attr)(folder, options or {})
    return store
