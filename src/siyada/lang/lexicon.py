"""Loaders for the package's language data files (lexicons, character models).

Key decision: every file is read with ``importlib.resources`` on first use and cached, so
``import siyada.lang`` does no I/O; a malformed file raises ``ConfigError`` naming file and line.
Built files (``*.json.gz``) come from ``python -m siyada.lang.build``.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from importlib import resources
from typing import Any

from siyada.errors import ConfigError


def data_text(name: str) -> str:
    return resources.files("siyada.lang").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


def data_json_gz(name: str) -> Any:
    path = resources.files("siyada.lang").joinpath("data", name)
    try:
        return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"siyada/lang/data/{name} is missing: run 'python -m siyada.lang.build'") from exc


def read_tsv(name: str, columns: int) -> list[list[str]]:
    """Rows of a data TSV, skipping '#' comments and the header line."""
    rows: list[list[str]] = []
    lines = data_text(name).splitlines()
    header_seen = False
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        parts = line.split("\t")
        if len(parts) != columns:
            raise ConfigError(f"siyada/lang/data/{name}:{lineno}: expected {columns} tab-separated fields")
        rows.append(parts)
    return rows


def _spelling_index(name: str) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for latin, arabic in read_tsv(name, 2):
        for spelling in latin.split(","):
            key = spelling.strip().lower()
            if key and arabic not in index.setdefault(key, []):
                index[key].append(arabic)
    return index


@functools.cache
def arabizi_lexicon() -> dict[str, list[str]]:
    """Arabizi spelling -> Arabic-script words, from ``data/arabizi_lexicon.tsv`` (also trains
    the language identifier)."""
    return _spelling_index("arabizi_lexicon.tsv")


WORD_LISTS = "darija_words"


def darija_word_files() -> list[str]:
    """The domain word lists under ``data/darija_words/`` (people, home and food, ...), by name."""
    folder = resources.files("siyada.lang").joinpath("data", WORD_LISTS)
    if not folder.is_dir():
        return []
    return sorted(f"{WORD_LISTS}/{entry.name}" for entry in folder.iterdir() if entry.name.endswith(".tsv"))


def darija_lexicon(verbs: bool = True) -> dict[str, list[str]]:
    """Arabizi spelling -> Arabic-script words, from the larger hand-written lexicon used for
    transliteration only: ``data/darija_lexicon.tsv`` (everyday words), the domain lists under
    ``data/darija_words/`` and, with ``verbs``, ``data/darija_verbs.tsv`` (conjugated forms
    generated from hand-written roots). Earlier files win a spelling shared by two words.

    Not cached: the full index is ~400,000 spellings (~2 s, ~150 MB); the transliterator keeps
    its own compact copy (``arabizi._vocab_index``), so a second cached one would double that."""
    index = _spelling_index("darija_lexicon.tsv")
    names = darija_word_files() + (["darija_verbs.tsv"] if verbs else [])
    for name in names:
        for key, words in _spelling_index(name).items():
            known = index.setdefault(key, [])
            known += [w for w in words if w not in known]
    return index


LM_ORDER = 4
# Kneser-Ney discount. Chosen on the tune half of the DODa words (bench/lang.py): Witten-Bell
# 4-gram 0.0910, Kneser-Ney 4-gram D = 0.5 / 0.75 / 0.9 -> 0.0896 / 0.0895 / 0.0883; 5-gram
# 0.088-0.089 and 3-gram 0.098 (issue 9).
LM_DISCOUNT = 0.9
_EDGE = "^" * (LM_ORDER - 1)


class CharLM:
    """Character n-gram model over words (order ``LM_ORDER``, ``^`` and ``$`` as word edges),
    interpolated Kneser-Ney: each order's counts are discounted by ``LM_DISCOUNT`` and the mass
    set free goes to the next shorter context, whose counts are *continuation* counts (how many
    different letters precede the n-gram), so a letter sequence seen in many words outweighs
    one frequent word. Built from the full-order counts alone (``build.build_arabic_lm``)."""

    def __init__(self, grams: dict[str, int], words: set[str], discount: float = LM_DISCOUNT) -> None:
        self._words = words
        self._discount = discount
        counts: list[dict[str, int]] = [{} for _ in range(LM_ORDER + 1)]
        counts[LM_ORDER] = {g: n for g, n in grams.items() if len(g) == LM_ORDER}
        for k in range(LM_ORDER, 1, -1):
            lower = counts[k - 1]
            for gram in counts[k]:
                lower[gram[1:]] = lower.get(gram[1:], 0) + 1
        self._counts = counts
        self._context_total: list[dict[str, int]] = [{} for _ in range(LM_ORDER + 1)]
        self._context_types: list[dict[str, int]] = [{} for _ in range(LM_ORDER + 1)]
        for k in range(1, LM_ORDER + 1):
            total, types = self._context_total[k], self._context_types[k]
            for gram, n in counts[k].items():
                total[gram[:-1]] = total.get(gram[:-1], 0) + n
                types[gram[:-1]] = types.get(gram[:-1], 0) + 1
        self._uniform = 1.0 / (len(counts[1]) + 1)
        self._cache: dict[str, float] = {}

    def _cost(self, ctx: str, ch: str) -> float:
        key = ctx + ch
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        p = self._uniform
        d = self._discount
        for k in range(1, len(ctx) + 2):
            h = ctx[len(ctx) - k + 1 :]
            total = self._context_total[k].get(h)
            if not total:
                break
            seen = self._counts[k].get(h + ch, 0)
            p = (max(seen - d, 0.0) + d * self._context_types[k][h] * p) / total
        cost = -math.log(p)
        self._cache[key] = cost
        return cost

    def extend_cost(self, prefix: str, piece: str) -> float:
        text = _EDGE + prefix
        total = 0.0
        for ch in piece:
            total += self._cost(text[1 - LM_ORDER :], ch)
            text += ch
        return total

    def end_cost(self, word: str) -> float:
        return self._cost((_EDGE + word)[1 - LM_ORDER :], "$")

    def is_word(self, word: str) -> bool:
        return word in self._words


@functools.cache
def arabic_lm() -> CharLM:
    data = data_json_gz("ary_arab_charlm.json.gz")
    return CharLM(data["grams"], set(data["words"]))
