"""Relevance signals of a question against one knowledge base: does the base answer it at all?

Retrieval always returns the closest passages, even for a question the documents do not cover.
Three signals, computed from what retrieval already has, tell answerable questions from the
others:

- **closeness**: the dense cosine of the base's closest passage to the question or to its
  Arabic-script transliteration (Arabizi), whichever is closer;
- **coverage**: the best share of the question's search keys (``siyada.lang.search_key``, so
  Arabizi meets Arabic script) found in one of the top passages;
- **concepts**: the best share of the question's concepts (``siyada.lang.concepts``, so French
  meets Darija) found in one of the top passages; 0 when the question names no known concept.

``score = closeness + keyword_weight × coverage + concept_weight × concepts``. The weights are
fixed per embedder; the threshold is calibrated per base (:mod:`siyada.rag.calibration`). The same
function scores live questions, the base's pseudo-questions and the off-topic probes, so the
calibrated threshold and the live score are on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import yaml

from siyada.backends.base import Embedder
from siyada.rag.analyze import concept_text, key_text, language, query_variants
from siyada.rag.retrieve import rank
from siyada.rag.store.base import Store

TOP_PASSAGES = 5
MIN_KEY_CHARS = 3  # keys of one or two characters ("f", "l", "0f") are function words


@cache
def _defaults() -> dict[str, dict[str, float]]:
    data = yaml.safe_load(files("siyada.rag").joinpath("data", "relevance.yaml").read_text(encoding="utf-8"))
    return {str(k): {kk: float(vv) for kk, vv in v.items()} for k, v in (data or {}).items()}


def relevance_defaults(embedder: str) -> dict[str, float]:
    """``keyword_weight``, ``concept_weight`` and ``cost`` for bases built with ``embedder``."""
    table = _defaults()
    return dict(table.get(embedder) or table["default"])


@dataclass(slots=True)
class Signals:
    closeness: float | None  # None: the base is empty
    coverage: float
    concepts: float

    def score(self, keyword_weight: float, concept_weight: float) -> float | None:
        if self.closeness is None:
            return None
        return self.closeness + keyword_weight * self.coverage + concept_weight * self.concepts

    def to_dict(self) -> dict[str, float | None]:
        return {
            "closeness": None if self.closeness is None else round(self.closeness, 4),
            "coverage": round(self.coverage, 3),
            "concepts": round(self.concepts, 3),
        }


def _share(terms: set[str], texts: dict[int, str]) -> float:
    if not terms:
        return 0.0
    return max((len(terms & set(t.split())) / len(terms) for t in texts.values()), default=0.0)


def signals(store: Store, embedder: Embedder, query: str, vectors: list[np.ndarray] | None = None) -> Signals:
    """The three signals of ``query`` against the base (``vectors``: its variants' embeddings, if known)."""
    variants = query_variants(query)
    if vectors is None:
        vectors = [np.asarray(v, dtype=np.float32) for v in embedder.embed(variants, kind="query")]
    closeness: float | None = None
    coverage = concepts = 0.0
    for variant, vector in zip(variants, vectors, strict=True):
        top = store.dense(vector, 1, None)
        if not top:
            continue
        closeness = max(closeness or -1.0, float(top[0][1]))
        ids = [cid for cid, _ in rank(store, embedder, variant, TOP_PASSAGES, None, "hybrid", vector=vector)]
        keys = {k for k in key_text(variant).split() if len(k) >= MIN_KEY_CHARS}
        coverage = max(coverage, _share(keys, store.indexed(ids, "keys")))
        named = set(concept_text(variant, language(variant)).split())
        concepts = max(concepts, _share(named, store.indexed(ids, "concepts")))
    return Signals(closeness, coverage, concepts)
