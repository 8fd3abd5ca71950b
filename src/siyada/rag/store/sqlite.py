"""The embedded store: one SQLite file per knowledge base (documents, chunks, FTS5, vectors).

WAL mode lets the CLI write while a server reads; every document is written in one
``BEGIN IMMEDIATE`` transaction (old chunks out, new chunks, FTS rows and vectors in), so a
killed process leaves the previous state, which SQLite's journal restores on next open.
Vectors are float32 blobs searched by :class:`~siyada.rag.store.dense.DenseIndex`. Subclasses
that keep vectors elsewhere override the three ``_vectors_*`` hooks and :meth:`dense`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from siyada.rag.analyze import fts_query
from siyada.rag.store.base import IndexedChunk
from siyada.rag.store.dense import DenseIndex
from siyada.rag.store.filters import where
from siyada.rag.store.migrations import migrate
from siyada.rag.types import Chunk, Document

FILENAME = "kb.sqlite"
COMMON_TERM_SHARE = 0.2
COMMON_TERM_MIN_CHUNKS = 5_000
# Keyword column -> (FTS table, its fts5vocab table).
_FTS = {
    "plain": ("chunks_fts", "chunks_vocab"),
    "keys": ("chunks_fts", "chunks_vocab"),
    "concepts": ("concepts_fts", "concepts_vocab"),
}
_DOC_COLUMNS = "id, title, source, format, content_hash, size, lang, tags, chunks, created_at, updated_at, metadata"


def _document(row: tuple[Any, ...]) -> Document:
    return Document(
        id=row[0],
        title=row[1],
        source=row[2],
        format=row[3],
        content_hash=row[4],
        size=row[5],
        lang=row[6],
        tags=json.loads(row[7]),
        chunks=row[8],
        created_at=row[9],
        updated_at=row[10],
        metadata=json.loads(row[11]),
    )


class SqliteStore:
    kind = "sqlite"

    def __init__(self, folder: Path, options: dict[str, Any]) -> None:
        self.folder = folder
        self.path = folder / FILENAME
        self.options = options
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        migrate(self._conn)
        self._dense: DenseIndex | None = None
        self._centroids: tuple[int | None, dict[str, np.ndarray]] | None = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    # -- metadata -------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        with self._transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def counts(self) -> tuple[int, int]:
        with self._lock:
            docs = self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            chunks = self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return docs, chunks

    # -- documents ------------------------------------------------------------------------
    def document(self, document_id: str) -> Document | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (document_id,)).fetchone()
        return _document(row) if row else None

    def documents(self) -> list[Document]:
        with self._lock:
            rows = self._conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY created_at, id").fetchall()
        return [_document(r) for r in rows]

    def put(self, doc: Document, chunks: list[IndexedChunk], vectors: np.ndarray) -> None:
        ids = [c.chunk.id for c in chunks]
        self._vectors_before_commit(ids, vectors)
        with self._transaction() as conn:
            old = self._delete_chunks(conn, doc.id)
            conn.execute(
                f"INSERT OR REPLACE INTO documents ({_DOC_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.id,
                    doc.title,
                    doc.source,
                    doc.format,
                    doc.content_hash,
                    doc.size,
                    doc.lang,
                    json.dumps(doc.tags, ensure_ascii=False),
                    len(chunks),
                    doc.created_at,
                    doc.updated_at,
                    json.dumps(doc.metadata, ensure_ascii=False),
                ),
            )
            conn.executemany(
                "INSERT INTO chunks (id, document_id, position, text, heading, lang, page) VALUES (?,?,?,?,?,?,?)",
                [
                    (c.chunk.id, doc.id, c.chunk.position, c.chunk.text, c.chunk.heading, c.chunk.lang, c.chunk.page)
                    for c in chunks
                ],
            )
            conn.executemany(
                "INSERT INTO chunks_fts (rowid, plain, keys) VALUES (?,?,?)",
                [(c.chunk.id, c.plain, c.keys) for c in chunks],
            )
            conn.executemany(
                "INSERT INTO concepts_fts (rowid, concepts) VALUES (?,?)", [(c.chunk.id, c.concepts) for c in chunks]
            )
            self._vectors_in_transaction(conn, ids, vectors)
        self._vectors_after_commit(sorted(set(old) - set(ids)))

    def remove(self, document_id: str) -> bool:
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone() is None:
                return False
            old = self._delete_chunks(conn, document_id)
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        self._vectors_after_commit(old)
        return True

    def _delete_chunks(self, conn: sqlite3.Connection, document_id: str) -> list[int]:
        old = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE document_id = ?", (document_id,))]
        if old:
            conn.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(i,) for i in old])
            conn.executemany("DELETE FROM concepts_fts WHERE rowid = ?", [(i,) for i in old])
            conn.execute("DELETE FROM chunks WHERE document_id = ?", (document_id,))
            self._vectors_delete_in_transaction(conn, old)
        return old

    # -- vector hooks (vectors in this file) ----------------------------------------------
    def _vectors_before_commit(self, ids: list[int], vectors: np.ndarray) -> None:
        pass

    def _vectors_in_transaction(self, conn: sqlite3.Connection, ids: list[int], vectors: np.ndarray) -> None:
        blobs = np.ascontiguousarray(vectors, dtype=np.float32)
        conn.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?)", [(i, blobs[n].tobytes()) for n, i in enumerate(ids)]
        )
        conn.executemany("INSERT INTO vector_log (chunk_id, op) VALUES (?, 1)", [(i,) for i in ids])

    def _vectors_delete_in_transaction(self, conn: sqlite3.Connection, ids: list[int]) -> None:
        conn.executemany("DELETE FROM vectors WHERE chunk_id = ?", [(i,) for i in ids])
        conn.executemany("INSERT INTO vector_log (chunk_id, op) VALUES (?, -1)", [(i,) for i in ids])

    def _vectors_after_commit(self, removed: list[int]) -> None:
        pass

    # -- search ---------------------------------------------------------------------------
    def keyword(self, terms: list[str], column: str, k: int, filters: dict[str, Any] | None) -> list[tuple[int, float]]:
        """BM25 over one keyword column (``plain``, ``keys``, ``concepts``) for chunks holding any of ``terms``."""
        if column not in _FTS:
            raise ValueError(f"unknown keyword column {column!r}")
        table = _FTS[column][0]
        with self._lock:
            match = fts_query(" ".join(self._selective(terms, column)))
            if not match:
                return []
            if not filters:  # no join: FTS5 scores and sorts alone, several times faster
                rows = self._conn.execute(
                    f"SELECT rowid, bm25({table}) AS r FROM {table} WHERE {table} MATCH ? ORDER BY r LIMIT ?",
                    [f"{column} : ({match})", k],
                ).fetchall()
            else:
                cond, params = where(filters)
                rows = self._conn.execute(
                    f"SELECT f.rowid, bm25({table}) AS r FROM {table} f "
                    f"JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id "
                    f"WHERE {table} MATCH ? AND {cond} ORDER BY r LIMIT ?",
                    [f"{column} : ({match})", *params, k],
                ).fetchall()
        return [(int(r[0]), -float(r[1])) for r in rows]

    def _selective(self, terms: list[str], column: str) -> list[str]:
        """``terms`` without near-stopwords in large bases (see ``COMMON_TERM_SHARE``).

        A term in more than a fifth of the chunks (a short skeleton such as ``0f`` for "fi") adds
        little to BM25 but makes FTS5 walk a posting list as long as the base; the rarest terms
        are kept if every term is that common.
        """
        unique = list(dict.fromkeys(terms))
        n = self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] if unique else 0
        if n < COMMON_TERM_MIN_CHUNKS:
            return unique
        marks = ",".join("?" * len(unique))
        df = dict(
            self._conn.execute(
                f"SELECT term, doc FROM {_FTS[column][1]} WHERE col = ? AND term IN ({marks})", [column, *unique]
            ).fetchall()
        )
        kept = [t for t in unique if df.get(t, 0) <= COMMON_TERM_SHARE * n]
        return kept or sorted(unique, key=lambda t: df.get(t, 0))[:3]

    def indexed(self, ids: list[int], column: str) -> dict[int, str]:
        """The indexed keyword text of chunks in one column (for keyword-coverage weights)."""
        if column not in _FTS or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._conn.execute(f"SELECT rowid, {column} FROM {_FTS[column][0]} WHERE rowid IN ({marks})", ids)
            return {int(r[0]): r[1] for r in rows}

    def change_mark(self) -> str:
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(SUM(chunks), 0) FROM documents"
            ).fetchone()
        return ":".join(str(v) for v in row)

    def chunk_texts(self) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT heading, text, lang FROM chunks ORDER BY document_id, position"
            ).fetchall()
        return [(f"{h}\n{t}" if h else t, lang) for h, t, lang in rows]

    def rekey_concepts(self, concepts: Callable[[str, str], str]) -> int:
        """Recompute all concept tokens in one transaction (the lexicon changed)."""
        with self._lock:
            rows = self._conn.execute("SELECT id, heading, text, lang FROM chunks").fetchall()
        fresh = [(cid, concepts(f"{heading}\n{text}" if heading else text, lang)) for cid, heading, text, lang in rows]
        with self._transaction() as conn:
            conn.execute("DELETE FROM concepts_fts")
            conn.executemany("INSERT INTO concepts_fts (rowid, concepts) VALUES (?,?)", fresh)
        return len(fresh)

    def allowed_ids(self, filters: dict[str, Any] | None) -> np.ndarray | None:
        if not filters:
            return None
        cond, params = where(filters)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE {cond}", params
            )
            return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def dense(self, vector: np.ndarray, k: int, filters: dict[str, Any] | None) -> list[tuple[int, float]]:
        allowed = self.allowed_ids(filters)
        with self._lock:
            if self._dense is None:
                self._dense = DenseIndex(
                    len(vector), int(self.options.get("ann_threshold", 20_000)), cache=self.folder / "ann.usearch"
                )
            self._dense.sync(self._conn)
            return self._dense.search(vector, k, allowed)

    def centroids(self) -> dict[str, np.ndarray]:
        """Mean vector of each chunk language (empty before the first dense search); cached until
        vectors change. Used to take each language's offset out of cosine scores."""
        with self._lock:
            if self._dense is None:
                return {}
            self._dense.sync(self._conn)
            if self._centroids is None or self._centroids[0] != self._dense.version:
                langs = dict(self._conn.execute("SELECT id, lang FROM chunks").fetchall())
                self._centroids = (self._dense.version, self._dense.means(langs))
            return self._centroids[1]

    def chunk_langs(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            return dict(self._conn.execute(f"SELECT id, lang FROM chunks WHERE id IN ({marks})", ids).fetchall())

    def chunks(self, ids: list[int]) -> dict[int, tuple[Chunk, Document]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cols = ", ".join(f"d.{c.strip()}" for c in _DOC_COLUMNS.split(","))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT c.id, c.document_id, c.position, c.text, c.heading, c.lang, c.page, {cols} "
                f"FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                ids,
            ).fetchall()
        return {r[0]: (Chunk(*r[:7]), _document(r[7:])) for r in rows}

    # -- maintenance ----------------------------------------------------------------------
    def check(self) -> list[str]:
        """Consistency problems (empty when the base is sound); tests and ``kb check`` use it."""
        queries = {
            "chunks without a document": (
                "SELECT COUNT(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)"
            ),
            "chunks missing from the FTS index": (
                "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)"
            ),
            "FTS rows without a chunk": "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)",
            "documents whose chunk count is wrong": "SELECT COUNT(*) FROM documents d "
            "WHERE chunks != (SELECT COUNT(*) FROM chunks WHERE document_id = d.id)",
            **self._vector_checks(),
        }
        problems = []
        with self._lock:
            for label, sql in queries.items():
                n = self._conn.execute(sql).fetchone()[0]
                if n:
                    problems.append(f"{n} {label}")
        return problems

    def _vector_checks(self) -> dict[str, str]:
        return {
            "chunks without a vector": "SELECT COUNT(*) FROM chunks WHERE id NOT IN (SELECT chunk_id FROM vectors)",
            "vectors without a chunk": "SELECT COUNT(*) FROM vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)",
        }

    def close(self) -> None:
        with self._lock:
            if self._dense is not None:
                self._dense.save()
            self._conn.close()
