"""Language identification for Moroccan text: Darija (Arabic script and Arabizi), MSA, Tamazight
(Tifinagh and Latin), French, English, Spanish.

Key decision: route by script first, then a multinomial naive Bayes over character 1-4-grams and
whole words (``data/lid_model.json.gz``, built by ``python -m siyada.lang.build``). Tifinagh needs
no model; Arabic script chooses only between Darija and MSA; Latin script among Arabizi, Berber,
French, English and Spanish. Scores are cached *per word*, so a batch pays the n-gram work once
per distinct word and then one dictionary lookup per word — that is what makes pure Python fast
enough (see bench/lang.py). Only the first ``MAX_CHARS`` characters are read, so a 1 MB line
takes as long as a paragraph.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from siyada.errors import ConfigError
from siyada.lang.features import ARABIZI_DIGIT_RE, LABELS, LABELS_ARAB, LABELS_LATN, clean, word_features, words
from siyada.lang.lexicon import data_json_gz, read_tsv
from siyada.lang.script import count_letters, script_of_counts

UND = "und"
MAX_CHARS = 4000
_ALPHA = 0.1
_CACHE_LIMIT = 500_000
# Each word contributes its mean feature log-likelihood times this, so long words do not drown
# the marker words and short words (naive Bayes double-counts overlapping n-grams).
_WORD_NORM = 3.0
_ARY_LATN = LABELS.index("ary_Latn")
_ARABIZI_DIGIT_BONUS = 3.0
_MARKER_SCALE = 2.0
_VARIETY_MIN_SCORE = 0.8
_VARIETY_MIN_WORDS = 2


@dataclass(slots=True)
class Identification:
    """The best label, its score in [0, 1], the top-k labels, the script, and for Berber in
    Latin script the variety (kab, shi, rif, tzm) when the evidence is clear."""

    label: str
    score: float
    top: list[tuple[str, float]] = field(default_factory=list)
    script: str = "none"
    variety: str | None = None


class NaiveBayes:
    """Per-word cached log-likelihood vectors over a fixed label list."""

    def __init__(self, model: dict, markers: dict[str, list[tuple[int, float]]] | None = None) -> None:
        self.labels: list[str] = model["labels"]
        self._markers = markers or {}
        features: dict[str, list[int]] = model["features"]
        denominators = [math.log(t + _ALPHA * len(features)) for t in model["totals"]]
        self._unseen = tuple(math.log(_ALPHA) - d for d in denominators)
        # Log-likelihoods computed once at load; a word then costs one lookup per feature.
        log_alpha = [math.log(n + _ALPHA) for n in range(64)]
        self._logp: dict[str, tuple[float, ...]] = {
            feat: tuple(
                (log_alpha[n] if n < 64 else math.log(n + _ALPHA)) - d
                for n, d in zip(counts, denominators, strict=True)
            )
            for feat, counts in features.items()
        }
        self._cache: dict[str, tuple[float, ...]] = {}

    def word_vector(self, word: str) -> tuple[float, ...]:
        vec = self._cache.get(word)
        if vec is not None:
            return vec
        feats = word_features(word)
        get, unseen = self._logp.get, self._unseen
        norm = _WORD_NORM / len(feats)
        acc = [sum(col) * norm for col in zip(*[get(f, unseen) for f in feats], strict=True)]
        if ARABIZI_DIGIT_RE.search(word):
            acc[_ARY_LATN] += _ARABIZI_DIGIT_BONUS
        for i, weight in self._markers.get(word, ()):
            acc[i] += weight * _MARKER_SCALE
        vec = tuple(acc)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = vec
        return vec

    def score(self, text_words: Sequence[str]) -> list[float]:
        if not text_words:
            return [0.0] * len(self.labels)
        vector = self.word_vector
        return [sum(col) for col in zip(*[vector(w) for w in text_words], strict=True)]


@functools.cache
def _lid_model() -> NaiveBayes:
    markers: dict[str, list[tuple[int, float]]] = {}
    for word, label, weight in read_tsv("lid_markers.tsv", 3):
        if label not in LABELS:
            raise ConfigError(f"siyada/lang/data/lid_markers.tsv: unknown label {label!r}")
        markers.setdefault(clean(word), []).append((LABELS.index(label), float(weight)))
    return NaiveBayes(data_json_gz("lid_model.json.gz"), markers)


@functools.cache
def _variety_model() -> NaiveBayes:
    return NaiveBayes(data_json_gz("ber_variety.json.gz"))


def _softmax(pairs: list[tuple[str, float]], scale: float) -> list[tuple[str, float]]:
    best = max(v for _, v in pairs)
    exps = [(label, math.exp((v - best) * scale)) for label, v in pairs]
    total = sum(e for _, e in exps)
    return sorted(((label, e / total) for label, e in exps), key=lambda p: -p[1])


def _allowed(script: str, proportions: dict[str, float]) -> tuple[str, ...]:
    if script == "Arab":
        return LABELS_ARAB
    if script == "Latn":
        return LABELS_LATN
    # Mixed Arabic/Latin text: the script with more letters decides which labels compete.
    return LABELS_ARAB if proportions["Arab"] >= proportions["Latn"] else LABELS_LATN


def _identify_one(text: str, k: int) -> Identification:
    text = clean(text[:MAX_CHARS])
    info = script_of_counts(count_letters(text))
    if info.letters < 2:
        return Identification(UND, 0.0, [(UND, 0.0)], info.script)
    if info.proportions["Tfng"] >= 0.5:
        share = round(info.proportions["Tfng"], 4)
        return Identification("zgh_Tfng", share, [("zgh_Tfng", share)][:k], info.script)
    text_words = words(text)
    model = _lid_model()
    totals = model.score(text_words)
    allowed = _allowed(info.script, info.proportions)
    pairs = [(label, totals[LABELS.index(label)]) for label in allowed]
    # Sums over many words make naive Bayes over-confident: temper by the square root of length.
    ranked = _softmax(pairs, 1.0 / math.sqrt(max(1, len(text_words))))
    label, score = ranked[0]
    variety = _variety(text_words) if label == "ber_Latn" else None
    top = [(lab, round(s, 4)) for lab, s in ranked[: max(1, k)]]
    return Identification(label, round(score, 4), top, info.script, variety)


def _variety(text_words: Sequence[str]) -> str | None:
    if len(text_words) < _VARIETY_MIN_WORDS:
        return None
    model = _variety_model()
    pairs = list(zip(model.labels, model.score(text_words), strict=True))
    best, score = _softmax(pairs, 1.0 / math.sqrt(len(text_words)))[0]
    return best if score >= _VARIETY_MIN_SCORE else None


def identify(text: str, k: int = 3) -> Identification:
    """Language of ``text``: label, score, top-k, script and optional Berber variety.

    >>> identify("wach kayn chi 7al?").label
    'ary_Latn'
    >>> identify("😂😂 https://example.com").label
    'und'
    """
    return _identify_one(text, k)


def identify_batch(texts: Iterable[str], k: int = 1) -> list[Identification]:
    """``identify`` over many texts; word scores computed for one text are reused by the next."""
    return [_identify_one(t, k) for t in texts]
