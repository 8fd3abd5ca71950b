"""Retrieval: BM25 (FTS5) and dense rankings fused by coverage-weighted reciprocal rank.

Reciprocal rank fusion (score = sum of w / (k + rank)) needs no score calibration between
BM25 and cosine similarity, which differ per language and per base. Plain RRF (w = 1, k = 60)
lets a keyword hit that shares one word with the query (a name, "un", "de") outrank the dense
model's answer, and k = 60 makes ranks 1 and 5 almost equal; so a keyword hit's weight is its
squared *coverage* (share of the query's terms it contains) and k = 10. An Arabizi question
whose every skeleton meets the Arabic passage keeps full weight; an English question sharing
only a name with a Darija passage barely moves the dense ranking. Both were chosen on the
development sets of ``bench/retrieval.py`` (see docs/benchmarks.md). Each ranker contributes
``depth`` candidates (at least 50).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from siyada.backends.base import Embedder
from siyada.errors import InvalidRequestError
from siyada.lang.searchkey import SKELETON_PREFIX
from siyada.rag.analyze import concept_text, language, plain_text, query_keys
from siyada.rag.store.base import Store
from siyada.rag.types import SEARCH_MODES

RRF_K = 10
# Weight of the concept ranking's hits relative to a keyword hit of the same coverage. Chosen on the
# tune half of bench/orgs with the full lexicon (1,215 concepts): 1 / 2 / 4 gave agent top-1
# 0.53 / 0.60 / 0.64 and search@3 0.69 / 0.79 / 0.80 (0.5 gave 0.36 with the question-word list
# alone). The check half and the held-out organisations are reported in docs/benchmarks.md.
CONCEPT_WEIGHT = 4.0


def rrf(
    rankings: list[list[tuple[int, float]]], weights: list[dict[int, float] | None] | None = None, k: int = RRF_K
) -> list[tuple[int, float]]:
    """Fuse ranked lists of ``(id, score)`` into one, best first; ``weights[i][id]`` scales a hit (default 1)."""
    fused: dict[int, float] = {}
    for n, ranking in enumerate(rankings):
        weight = weights[n] if weights is not None else None
        for rank, (item, _score) in enumerate(ranking, start=1):
            w = 1.0 if weight is None else weight.get(item, 1.0)
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda p: (-p[1], p[0]))


def coverage(store: Store, ranking: list[tuple[int, float]], column: str, terms: str) -> dict[int, float]:
    """Weight of each keyword hit: the squared share of the query's distinct terms it contains.

    Plain words and cross-script skeletons are scored apart and the better share counts: an
    Arabizi query meets an Arabic passage through its skeletons only, a French one through its
    words. Squaring keeps one shared common word ("de", a name) from outvoting the dense model.
    """
    classes = [
        c
        for c in (
            {t for t in set(terms.split()) if t.startswith(SKELETON_PREFIX) == skeleton} for skeleton in (False, True)
        )
        if c
    ]
    if not ranking or not classes:
        return {}
    out = {}
    for chunk, text in store.indexed([i for i, _ in ranking], column).items():
        words = set(text.split())
        out[chunk] = max(len(c & words) / len(c) for c in classes) ** 2
    return out


def centered(store: Store, vector: np.ndarray, ranking: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Dense scores with each chunk language's mean vector taken out, best first.

    Multilingual e5 puts a question much closer to passages in its own language than to the
    passage in another language that answers it (on the tune half of ``bench/orgs``, French
    questions found their Arabic-script document first 0 times in 20). Subtracting each
    language's centroid μ from the passages — score = (cos − μ·q) / √(1 − |μ|²), the second
    factor approximating the centred vector's norm — takes that offset out: dense top-3 on the
    tune questions went from 0.36 to 0.65. The centroids are the base's own (adapting to
    its languages and domain); candidates are the raw ranking's, so large bases re-score an
    over-fetched list.
    """
    means = store.centroids()
    if len(means) < 2 or not ranking:
        return ranking
    langs = store.chunk_langs([cid for cid, _ in ranking])
    shift = {lang: (float(mu @ vector), float(np.sqrt(max(1e-6, 1.0 - float(mu @ mu))))) for lang, mu in means.items()}
    out = []
    for cid, score in ranking:
        offset, norm = shift.get(langs.get(cid, ""), (0.0, 1.0))
        out.append((cid, (score - offset) / norm))
    return sorted(out, key=lambda p: (-p[1], p[0]))


def embed_query(embedder: Embedder, query: str) -> np.ndarray:
    return np.asarray(embedder.embed([query], kind="query")[0], dtype=np.float32)


def rank(
    store: Store,
    embedder: Embedder,
    query: str,
    top_k: int,
    filters: dict[str, Any] | None = None,
    mode: str = "hybrid",
    vector: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Chunk ids with scores, best first: fused RRF scores for hybrid modes, BM25 or cosine otherwise.

    ``vector``: the query's embedding when the caller already has it (relevance signals, calibration).
    """
    if mode not in SEARCH_MODES:
        raise InvalidRequestError(f"unknown search mode '{mode}' (known: {', '.join(SEARCH_MODES)})", param="mode")
    depth = max(50, top_k * 4)
    rankings: list[list[tuple[int, float]]] = []
    weights: list[dict[int, float] | None] = []
    if mode in ("hybrid", "concepts"):
        concepts = concept_text(query, language(query))
        hits = store.keyword(concepts.split(), "concepts", depth, filters) if concepts else []
        if mode == "concepts":
            return hits[:top_k]
        rankings.append(hits)
        weights.append({k: CONCEPT_WEIGHT * v for k, v in coverage(store, hits, "concepts", concepts).items()})
    if mode != "dense":
        column, terms = (
            ("keys", query_keys(query)) if mode in ("hybrid", "hybrid_keys", "bm25") else ("plain", plain_text(query))
        )
        keyword = store.keyword(terms.split(), column, depth, filters)
        if mode in ("bm25", "bm25_plain"):
            return keyword[:top_k]
        rankings.append(keyword)
        weights.append(coverage(store, keyword, column, terms))
    qvec = embed_query(embedder, query) if vector is None else vector
    dense = centered(store, qvec, store.dense(qvec, depth * 2, filters))[:depth]
    if mode == "dense":
        return dense[:top_k]
    return rrf([*rankings, dense], [*weights, None])[:top_k]
