"""The scale-out store: vectors in Milvus, everything else in the base's SQLite file.

Decision: documents, chunks and BM25 stay in SQLite FTS5 (one keyword engine for every store,
with the same transliteration-aware keys), and only vectors go to Milvus through pymilvus — a
local milvus-lite file by default (``vectors.milvus.db`` in the base's folder) or any Milvus
server given as ``uri``. The two cannot share a transaction, so writes are ordered to keep
SQLite the source of truth: new vectors are upserted *before* the SQLite commit and old ones
deleted *after* it. A crash in between leaves only orphan vectors, whose ids no chunk carries
(chunk ids are derived from document id, content hash and position, never reused for other
text); searches drop them. milvus-lite opens its file in one process at a time, so with it the
CLI and a running server cannot both hold a base; use a Milvus server for that.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from siyada.errors import MissingDependencyError
from siyada.rag.errors import StoreUnavailableError
from siyada.rag.store.sqlite import SqliteStore

COLLECTION = "chunks"
_IN_FILTER_MAX = 16_384
_BATCH = 1_000


class MilvusStore(SqliteStore):
    kind = "milvus"

    def __init__(self, folder: Path, options: dict[str, Any]) -> None:
        super().__init__(folder, options)
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise MissingDependencyError("pymilvus", "rag") from None
        self.uri = str(options.get("uri") or folder / "vectors.milvus.db")
        # milvus-lite logs its own start failures with tracebacks; the error below says it in one line
        logging.getLogger("milvus_lite").setLevel(logging.CRITICAL)
        try:
            self._client = MilvusClient(self.uri)
        except Exception as exc:  # pymilvus raises several unrelated types for "cannot open"
            super().close()
            raise StoreUnavailableError(
                f"cannot open Milvus at {self.uri}: {exc}; a milvus-lite file is usable by one process at a time"
            ) from None

    def _ensure_collection(self, dim: int) -> None:
        if not self._client.has_collection(COLLECTION):
            self._client.create_collection(
                COLLECTION,
                dimension=dim,
                primary_field_name="id",
                id_type="int",
                vector_field_name="vector",
                metric_type="IP",
                auto_id=False,
            )

    def _vectors_before_commit(self, ids: list[int], vectors: np.ndarray) -> None:
        if not ids:
            return
        self._ensure_collection(int(vectors.shape[1]))
        rows = [{"id": i, "vector": vectors[n].astype(np.float32).tolist()} for n, i in enumerate(ids)]
        for start in range(0, len(rows), _BATCH):
            self._client.upsert(COLLECTION, rows[start : start + _BATCH])

    def _vectors_in_transaction(self, conn: Any, ids: list[int], vectors: np.ndarray) -> None:
        pass

    def _vectors_delete_in_transaction(self, conn: Any, ids: list[int]) -> None:
        pass

    def _vectors_after_commit(self, removed: list[int]) -> None:
        if removed and self._client.has_collection(COLLECTION):
            for start in range(0, len(removed), _BATCH):
                self._client.delete(COLLECTION, ids=removed[start : start + _BATCH])

    def dense(self, vector: np.ndarray, k: int, filters: dict[str, Any] | None) -> list[tuple[int, float]]:
        if not self._client.has_collection(COLLECTION):
            return []
        allowed = self.allowed_ids(filters)
        expr = ""
        limit = k + 16  # room for orphan vectors dropped below
        if allowed is not None:
            if not len(allowed):
                return []
            if len(allowed) <= _IN_FILTER_MAX:
                expr = f"id in [{','.join(str(int(i)) for i in allowed)}]"
            else:
                limit = k * 10
        result = self._client.search(
            COLLECTION,
            [vector.astype(np.float32).tolist()],
            limit=min(limit, 16_384),
            filter=expr,
            output_fields=["id"],
        )
        pairs = [(int(h["id"]), float(h["distance"])) for h in result[0]]
        if allowed is not None and not expr:
            allowed_set = set(allowed.tolist())
            pairs = [p for p in pairs if p[0] in allowed_set]
        return pairs

    def _vector_checks(self) -> dict[str, str]:
        return {}

    def check(self) -> list[str]:
        problems = super().check()
        with self._lock:
            ids = [r[0] for r in self._conn.execute("SELECT id FROM chunks")]
        found = 0
        if ids and self._client.has_collection(COLLECTION):
            for start in range(0, len(ids), _BATCH):
                found += len(self._client.query(COLLECTION, ids=ids[start : start + _BATCH], output_fields=["id"]))
        if found != len(ids):
            problems.append(f"{len(ids) - found} chunks without a vector")
        return problems

    def close(self) -> None:
        self._client.close()
        super().close()
