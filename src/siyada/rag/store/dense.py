"""In-memory dense index over the vectors of a SQLite store: exact while small, ANN when large.

Exact search is one matrix-vector product (numpy), which stays fast up to tens of thousands of
chunks; above ``ann_threshold`` a usearch HNSW index is built and kept in step incrementally.
The index follows the ``vector_log`` table, so a server sees chunks another process (the CLI)
added or removed: each search first applies the log entries it has not seen.

Building the HNSW graph over 100k vectors takes tens of seconds on two cores, so it is saved
beside the base (``ann.usearch`` + the log position it reflects) and reloaded by the next
process, which then only applies the log entries written since.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

_BATCH = 900  # SQLite's default limit on bound parameters is 999


class DenseIndex:
    def __init__(self, dim: int, ann_threshold: int = 20_000, cache: Path | None = None) -> None:
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.cache = cache
        self._dirty = False
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, dim), dtype=np.float32)
        self._seq: int | None = None
        self._ann: Any = None

    def __len__(self) -> int:
        return len(self._ids)

    def sync(self, conn: sqlite3.Connection) -> None:
        """Catch up with the store (the caller holds the store's lock)."""
        if self._seq is None:
            self._load_all(conn)
            return
        rows = conn.execute(
            "SELECT seq, chunk_id, op FROM vector_log WHERE seq > ? ORDER BY seq", (self._seq,)
        ).fetchall()
        if not rows:
            return
        final: dict[int, int] = {}
        for _seq, chunk_id, op in rows:
            final[chunk_id] = op
        self._seq = rows[-1][0]
        removed = np.fromiter((i for i, op in final.items() if op < 0), dtype=np.int64)
        added = [i for i, op in final.items() if op > 0]
        ids, matrix = _fetch(conn, added, self.dim)
        self._apply(np.concatenate([removed, ids]), ids, matrix)

    def _load_all(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN")
        try:
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM vector_log").fetchone()[0]
            rows = conn.execute("SELECT chunk_id, vector FROM vectors").fetchall()
        finally:
            conn.execute("COMMIT")
        self._ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self._matrix = _stack([r[1] for r in rows], self.dim)
        self._seq = seq
        self._ann = self._restore_ann(conn, seq) if len(self._ids) >= self.ann_threshold else None
        self._maybe_build_ann()

    def _restore_ann(self, conn: sqlite3.Connection, seq: int) -> Any:
        """The saved ANN index brought up to ``seq``, or None when absent, stale or unreadable."""
        if self.cache is None or not self.cache.is_file():
            return None
        try:
            from usearch.index import Index

            saved = json.loads(self.cache.with_suffix(".json").read_text())["seq"]
            index = Index.restore(str(self.cache))
        except (OSError, ValueError, KeyError, RuntimeError, ImportError):
            return None
        if index is None or saved > seq or index.ndim != self.dim:
            return None
        rows = conn.execute(
            "SELECT chunk_id, op FROM vector_log WHERE seq > ? AND seq <= ? ORDER BY seq", (saved, seq)
        ).fetchall()
        final = dict(rows)
        stale = np.fromiter(final, dtype=np.int64, count=len(final))
        present = stale[index.contains(stale)] if len(stale) else stale
        if len(present):
            index.remove(present)
        wanted = np.isin(self._ids, np.fromiter((i for i, op in final.items() if op > 0), dtype=np.int64))
        if wanted.any():
            index.add(self._ids[wanted], self._matrix[wanted])
        self._dirty = bool(len(final))
        return index

    @property
    def version(self) -> int | None:
        """The vector-log position this index reflects (changes when vectors are added or removed)."""
        return self._seq

    def means(self, groups: dict[int, str]) -> dict[str, np.ndarray]:
        """Mean vector of each group of chunks (``groups``: chunk id → group name)."""
        labels = np.array([groups.get(int(i), "und") for i in self._ids])
        return {g: self._matrix[labels == g].mean(axis=0) for g in set(labels.tolist())}

    def save(self) -> None:
        """Persist the ANN index if it changed since it was built or loaded (atomic rename)."""
        if self._ann is None or self.cache is None or not self._dirty:
            return
        tmp = self.cache.with_name(self.cache.name + ".tmp")
        self._ann.save(str(tmp))
        tmp.replace(self.cache)
        self.cache.with_suffix(".json").write_text(json.dumps({"seq": self._seq}))
        self._dirty = False

    def _apply(self, drop: np.ndarray, ids: np.ndarray, matrix: np.ndarray) -> None:
        keep = ~np.isin(self._ids, drop)
        if self._ann is not None:
            gone = self._ids[~keep]
            if len(gone):
                self._ann.remove(gone)
            if len(ids):
                self._ann.add(ids, matrix)
            self._dirty = True
        self._ids = np.concatenate([self._ids[keep], ids])
        self._matrix = np.vstack([self._matrix[keep], matrix])
        self._maybe_build_ann()

    def _maybe_build_ann(self) -> None:
        if self._ann is not None or len(self._ids) < self.ann_threshold:
            return
        try:
            from usearch.index import Index
        except ImportError:  # exact search still answers, only slower
            return
        index = Index(ndim=self.dim, metric="ip", dtype="f16", connectivity=16, expansion_add=64, expansion_search=64)
        index.add(self._ids, self._matrix)
        self._ann = index
        self._dirty = True
        self.save()

    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if not len(self._ids) or k <= 0:
            return []
        if self._ann is not None:
            found = self._search_ann(vector, k, allowed)
            if found is not None:
                return found
        ids, matrix = self._ids, self._matrix
        if allowed is not None:
            mask = np.isin(ids, allowed)
            ids, matrix = ids[mask], matrix[mask]
        scores = matrix @ vector.astype(np.float32)
        k = min(k, len(ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def _search_ann(self, vector: np.ndarray, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]] | None:
        # With a filter, over-fetch; if the filter is too selective, exact search over the subset.
        fetch = k if allowed is None else k * 20
        matches = self._ann.search(vector.astype(np.float32), min(fetch, len(self._ids)))
        pairs = [(int(key), 1.0 - float(dist)) for key, dist in zip(matches.keys, matches.distances, strict=True)]
        if allowed is not None:
            allowed_set = set(allowed.tolist())
            pairs = [p for p in pairs if p[0] in allowed_set]
            if len(pairs) < min(k, len(allowed_set)):
                return None
        return pairs[:k]


def _stack(blobs: list[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim).copy()


def _fetch(conn: sqlite3.Connection, ids: list[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
    rows: list[tuple[int, bytes]] = []
    for start in range(0, len(ids), _BATCH):
        part = ids[start : start + _BATCH]
        marks = ",".join("?" * len(part))
        rows.extend(conn.execute(f"SELECT chunk_id, vector FROM vectors WHERE chunk_id IN ({marks})", part))
    found = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return found, _stack([r[1] for r in rows], dim)
