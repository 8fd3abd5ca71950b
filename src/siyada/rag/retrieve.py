"""Retrieval: BM25 (FTS5) and dense rankings fused by reciprocal rank.

Reciprocal rank fusion (score = sum of 1 / (60 + rank)) needs no score calibration between
BM25 and cosine similarity, which differ per language and per base. Each ranker contributes
``depth`` candidates (at least 50), enough for the fused top-k to be stable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from siyada.backends.base import Embedder
from siyada.errors import InvalidRequestError
from siyada.rag.analyze import fts_query, plain_text, query_keys
from siyada.rag.store.base import Store
from siyada.rag.types import SEARCH_MODES

RRF_K = 60


def rrf(rankings: list[list[tuple[int, float]]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked lists of ``(id, score)`` into one, best first."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda p: (-p[1], p[0]))


def embed_query(embedder: Embedder, query: str) -> np.ndarray:
    return np.asarray(embedder.embed([query], kind="query")[0], dtype=np.float32)


def rank(store: Store, embedder: Embedder, query: str, top_k: int,
         filters: dict[str, Any] | None = None, mode: str = "hybrid") -> list[tuple[int, float]]:
    """Chunk ids with scores, best first: fused RRF scores for hybrid modes, BM25 or cosine otherwise."""
    if mode not in SEARCH_MODES:
        raise InvalidRequestError(f"unknown search mode '{mode}' (known: {', '.join(SEARCH_MODES)})",
                                  param="mode")
    depth = max(50, top_k * 4)
    rankings: list[list[tuple[int, float]]] = []
    if mode in ("hybrid", "bm25"):
        rankings.append(store.keyword(fts_query(query_keys(query)), "keys", depth, filters))
    if mode in ("hybrid_plain", "bm25_plain"):
        rankings.append(store.keyword(fts_query(plain_text(query)), "plain", depth, filters))
    if mode in ("hybrid", "hybrid_plain", "dense"):
        rankings.append(store.dense(embed_query(embedder, query), depth, filters))
    if len(rankings) == 1:
        return rankings[0][:top_k]
    return rrf(rankings)[:top_k]
