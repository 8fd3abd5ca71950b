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
        by_order: dict[int, list[tuple[str, int]]] = {n: [] for n in range(MIN_ORDER, MAX_ORDER + 1)}
        for feature, row in index.items():
            if feature[0] != "W" and len(feature) in by_order:
                by_order[len(feature)].append((feature, row))
        alphabet = sorted(set("".join(f for grams in by_order.values() for f, _ in grams)))
        self._codes = np.zeros(_CODEPOINTS, dtype=np.int64)
        in_plane = [ord(c) for c in alphabet if ord(c) < _CODEPOINTS]
        self._codes[in_plane] = np.arange(1, len(in_plane) + 1)
        self._base = len(in_plane) + 1
        self._unseen_row = unseen_row
        all_keys, all_rows = [], []
        for n, grams in by_order.items():
            if not grams:
                continue
            points = np.frombuffer("".join(f for f, _ in grams).encode("utf-32-le"), dtype=np.uint32).reshape(-1, n)
            # A gram with a character outside the plane cannot be looked up: leave it out.
            keep = (points < _CODEPOINTS).all(axis=1)
            codes = self._codes[np.minimum(points, _CODEPOINTS - 1)]
            key = np.full(len(grams), n, dtype=np.int64)
            for i in range(n):
                key = key * self._base + codes[:, i]
            all_keys.append(key[keep])
            all_rows.append(np.fromiter((row for _, row in grams), dtype=np.int64, count=len(grams))[keep])
        keys, rows = np.concatenate(all_keys), np.concatenate(all_rows)
        order = np.argsort(keys)
        self._keys, self._rows = keys[order], rows[order]

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
