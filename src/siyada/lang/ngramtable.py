"""Vectorised character n-gram lookup: many new words -> their feature rows, with no Python loop
over characters.

Key decision: every character n-gram of the model (orders ``MIN_ORDER``..``MAX_ORDER``) gets an
exact integer key — each character is mapped to a small code (1..K, 0 for a character the model
never saw) and the codes are read as digits in base K+1, with the order in the top digit — and
the keys are kept sorted in one flat array. A batch of words is joined into one string, turned
into a code array with numpy, and the keys of all n-grams of all words are computed with a few
array operations and found with one ``searchsorted``. No hashing, so no collisions: the result
is exactly what the per-word feature lists of ``features.word_features`` give, only without
building a Python string per n-gram. The whole-word feature stays one dictionary lookup per word.
"""

from __future__ import annotations

import numpy as np

from siyada.lang.features import MAX_ORDER, MIN_ORDER

# Characters above the Basic Multilingual Plane (emoji) never occur inside a word feature.
_CODEPOINTS = 0x10000


class NgramTable:
    """Sorted exact keys of the model's character n-grams and the row each one maps to."""

    def __init__(self, index: dict[str, int], unseen_row: int) -> None:
        grams = [
            (f, row)
            for f, row in index.items()
            if not f.startswith("W") and MIN_ORDER <= len(f) <= MAX_ORDER and max(map(ord, f)) < _CODEPOINTS
        ]
        alphabet = sorted({c for f, _ in grams for c in f if ord(c) < _CODEPOINTS})
        self._codes = np.zeros(_CODEPOINTS, dtype=np.int64)
        self._codes[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1)
        self._base = len(alphabet) + 1
        self._unseen_row = unseen_row
        keys = np.array([self._key_of(f) for f, _ in grams], dtype=np.int64)
        rows = np.array([row for _, row in grams], dtype=np.int64)
        order = np.argsort(keys)
        self._keys, self._rows = keys[order], rows[order]

    def _key_of(self, gram: str) -> int:
        key = len(gram)
        for c in gram:
            key = key * self._base + int(self._codes[ord(c)])
        return key

    def lookup(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Feature rows of every n-gram of every word (`` word `` padded), and the word each
        row belongs to (an index into ``words``)."""
        padded = "".join(f" {w} " for w in words)
        points = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
        codes = self._codes[np.minimum(points, _CODEPOINTS - 1)]
        codes[points >= _CODEPOINTS] = 0
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
        owner = np.repeat(np.arange(len(words)), lengths)
        all_rows, all_owners = [], []
        for n in range(MIN_ORDER, MAX_ORDER + 1):
            m = len(codes) - n + 1
            if m <= 0:
                continue
            key = np.full(m, n, dtype=np.int64)
            for i in range(n):
                key = key * self._base + codes[i : i + m]
            # An n-gram must lie inside one padded word.
            inside = owner[:m] == owner[n - 1 : n - 1 + m]
            key, who = key[inside], owner[:m][inside]
            at = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
            found = self._keys[at] == key
            all_rows.append(np.where(found, self._rows[at], self._unseen_row))
            all_owners.append(who)
        return np.concatenate(all_rows), np.concatenate(all_owners)
