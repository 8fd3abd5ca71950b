"""The naive Bayes scoring engine behind language identification (numpy, loaded lazily).

Key decision: the unit of caching is the *word*. The first time a word is seen its character
n-grams are found for every new word of a batch at once by ``ngramtable.NgramTable`` (integer
keys computed with numpy, no Python loop over characters), their log-likelihoods gathered from
one float32 matrix and summed per word with ``bincount``; the word's vector is then kept in a
growing matrix, so a text costs one dictionary lookup per word plus one vectorised sum for the
whole batch. Each word
contributes its *mean* feature log-likelihood (times ``word_norm``), because naive Bayes counts
overlapping n-grams as independent evidence and would otherwise let long words drown short
function words; hand-written marker words and Arabizi digits add fixed bonuses on top.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np

from siyada.lang.ngramtable import NgramTable

CACHE_LIMIT = 500_000


class NaiveBayes:
    """Multinomial naive Bayes over word features with a per-word vector cache."""

    def __init__(
        self,
        model: dict[str, Any],
        *,
        alpha: float,
        word_norm: float,
        bonuses: dict[str, list[tuple[int, float]]] | None = None,
        pattern_bonuses: Sequence[tuple[re.Pattern[str], int, float]] = (),
    ) -> None:
        self.labels: list[str] = list(model["labels"])
        features: dict[str, list[int]] = model["features"]
        self._index = {feat: i for i, feat in enumerate(features)}
        counts = np.array(list(features.values()), dtype=np.float64).reshape(len(features), len(self.labels))
        denominators = np.log(np.asarray(model["totals"], dtype=np.float64) + alpha * len(features))
        unseen = np.log(alpha) - denominators
        # Row ``len(features)`` is the score of an unseen feature.
        self._logp = np.vstack([np.log(counts + alpha) - denominators, unseen]).astype(np.float32)
        self._unseen_row = len(features)
        self._ngrams = NgramTable(self._index, self._unseen_row)
        # Whole-word features keyed by the bare word: looked up with ``map`` at C speed.
        self._word_rows = {f[1:]: i for f, i in self._index.items() if f.startswith("W")}
        self._word_norm = word_norm
        self._bonuses = bonuses or {}
        # Patterns run over newline-joined words: ``^``/``$`` must match at each word's edges.
        self._pattern_bonuses = tuple(
            (re.compile(p.pattern, p.flags | re.MULTILINE), i, b) for p, i, b in pattern_bonuses
        )
        # The HTTP layer scores from several threads: the cache and matrix change under this lock.
        self._lock = threading.Lock()
        self._ids: dict[str, int] = {}
        self._vectors = np.zeros((1024, len(self.labels)), dtype=np.float32)
        self._preload: list[str] = list(model.get("frequent_words", []))
        self.clear_cache()

    def _add_words(self, new: list[str]) -> None:
        rows, owners = self._ngrams.lookup(new)
        whole = np.fromiter(map(self._word_rows.get, new, repeat(self._unseen_row)), dtype=np.int64, count=len(new))
        counts = np.bincount(owners, minlength=len(new)) + 1
        gathered = self._logp[rows]
        vectors = self._logp[whole].copy()
        for i in range(len(self.labels)):
            vectors[:, i] += np.bincount(owners, weights=gathered[:, i], minlength=len(new)).astype(np.float32)
        vectors *= (self._word_norm / counts)[:, None]
        self._add_bonuses(new, vectors)
        first = len(self._ids)
        needed = first + len(new)
        if needed > len(self._vectors):
            grown = np.zeros((max(needed, 2 * len(self._vectors)), len(self.labels)), dtype=np.float32)
            grown[:first] = self._vectors[:first]
            self._vectors = grown
        self._vectors[first:needed] = vectors
        self._ids.update(zip(new, range(first, needed), strict=True))

    def _add_bonuses(self, new: list[str], vectors: np.ndarray) -> None:
        """Marker words (a set intersection, then a loop over the few hits) and patterns (one regex
        pass over all new words joined by newlines, so a pattern runs once per batch)."""
        marked = self._bonuses.keys() & new
        if marked:
            position = dict(zip(new, range(len(new)), strict=True))
            for word in marked:
                for i, bonus in self._bonuses[word]:
                    vectors[position[word], i] += bonus
        joined = "\n".join(new)
        lengths = np.fromiter(map(len, new), dtype=np.int64, count=len(new)) + 1
        line_starts = np.concatenate([[0], np.cumsum(lengths[:-1])])
        for pattern, i, bonus in self._pattern_bonuses:
            starts = [m.start() for m in pattern.finditer(joined)]
            if starts:
                hit = np.unique(np.searchsorted(line_starts, starts, side="right") - 1)
                vectors[hit, i] += bonus

    def ensure(self, words: Iterable[str]) -> None:
        """Compute and cache the vectors of the words not seen yet."""
        with self._lock:
            self._ensure(words)

    def _ensure(self, words: Iterable[str]) -> None:
        ids = self._ids
        unique = dict.fromkeys(words)  # ``words`` may be a one-shot iterator
        new = [w for w in unique if w not in ids]
        if not new:
            return
        if len(ids) + len(new) > CACHE_LIMIT:
            self._reset()
            new = [w for w in unique if w not in ids]
        self._add_words(new)

    def score_batch(self, word_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Summed word vectors, one row per text; every list must hold at least one word."""
        lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
        total = int(lengths.sum())
        with self._lock:
            self._ensure(chain.from_iterable(word_lists))
            ids = np.fromiter(map(self._ids.__getitem__, chain.from_iterable(word_lists)), dtype=np.int64, count=total)
            rows = self._vectors[ids]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return np.add.reduceat(rows, starts, axis=0)

    def clear_cache(self, *, keep_frequent: bool = True) -> None:
        """Forget every cached word vector except (unless ``keep_frequent`` is false) the frequent
        training words shipped with the model."""
        with self._lock:
            self._reset(keep_frequent)

    def _reset(self, keep_frequent: bool = True) -> None:
        self._ids.clear()
        if self._preload and keep_frequent:
            self._add_words(self._preload)

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """One row per word (cached vectors, computed on first sight)."""
        with self._lock:
            self._ensure(words)
            ids = np.fromiter(map(self._ids.__getitem__, words), dtype=np.int64, count=len(words))
            return self._vectors[ids]

    def word_vector(self, word: str) -> list[float]:
        return [float(v) for v in self.vectors([word])[0]]
