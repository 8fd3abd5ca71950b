"""Language identification for Moroccan text: Darija (Arabic script and Arabizi), MSA, Tamazight
(Tifinagh and Latin), French, English, Spanish.

Key decision: route by script first, then a multinomial naive Bayes over character 1-4-grams and
whole words (``data/lid_model.json.gz``, built by ``python -m siyada.lang.build``). Tifinagh needs
no model; Arabic script chooses only between Darija and MSA; Latin script among Arabizi, Berber,
French, English and Spanish. Scores are cached *per word*, so a batch pays the n-gram work once
per distinct word and then one dictionary lookup per word; the per-text work (cleaning, letter
counts) is done for the whole batch in one pass (see ``_prepare_all`` and bench/lang.py). Only
the first ``MAX_CHARS`` characters are read, so a 1 MB line takes as long as a paragraph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from siyada.errors import ConfigError
from siyada.lang.features import (
    ARABIZI_DIGIT_RE,
    BERBER_LETTER_RE,
    DARIJA_NEGATION_ARAB_RE,
    DARIJA_NEGATION_LATN_RE,
    FRENCH_LETTER_RE,
    LABELS,
    LABELS_ARAB,
    LABELS_LATN,
    SPANISH_LETTER_RE,
    clean,
    darija_marked_word,
    words,
)
from siyada.lang.lexicon import data_json_gz, read_tsv
from siyada.lang.script import ARAB_RE, LATN_RE, count_letters, count_letters_lines, script_of_counts

if TYPE_CHECKING:
    from siyada.lang.nbmodel import NaiveBayes

UND = "und"
MAX_CHARS = 4000
_ALPHA = 0.1
_EXCLUDED = -1e9
# Each word contributes its mean feature log-likelihood times this, so long words do not drown
# the marker words and short words (naive Bayes double-counts overlapping n-grams).
_WORD_NORM = 3.0
_NEGATION_BONUS = 3.0
# Letters that belong to one orthography (ɣ ḍ → Berber, ç è → French, ñ á → Spanish).
_LETTER_BONUS = 5.0
_ARABIZI_DIGIT_BONUS = 5.0
_MARKER_SCALE = 2.0
_VARIETY_MIN_SCORE = 0.9
_VARIETY_MIN_WORDS = 2


_SWITCH_FROM = frozenset({"fra_Latn", "eng_Latn", "spa_Latn"})
# Berber chat writers borrow Arabizi digits for Arabic loans ("3ezizi"): only an unsure Berber
# reading gives way.
_SWITCH_FROM_BERBER_BELOW = 0.95


@dataclass(slots=True)
class Identification:
    """The best label, its score in [0, 1], the top-k labels, the script, and for Berber in
    Latin script the variety (kab, shi, rif) when the evidence is clear."""

    label: str
    score: float
    top: list[tuple[str, float]] = field(default_factory=list)
    script: str = "none"
    variety: str | None = None


@functools.cache
def _lid_model() -> NaiveBayes:
    from siyada.lang.nbmodel import NaiveBayes

    markers: dict[str, list[tuple[int, float]]] = {}
    for word, label, weight in read_tsv("lid_markers.tsv", 3):
        if label not in LABELS:
            raise ConfigError(f"siyada/lang/data/lid_markers.tsv: unknown label {label!r}")
        markers.setdefault(clean(word), []).append((LABELS.index(label), float(weight)))
    return NaiveBayes(
        data_json_gz("lid_model.json.gz"),
        alpha=_ALPHA,
        word_norm=_WORD_NORM,
        bonuses={w: [(i, b * _MARKER_SCALE) for i, b in m] for w, m in markers.items()},
        pattern_bonuses=[
            (ARABIZI_DIGIT_RE, LABELS.index("ary_Latn"), _ARABIZI_DIGIT_BONUS),
            (DARIJA_NEGATION_LATN_RE, LABELS.index("ary_Latn"), _NEGATION_BONUS),
            (DARIJA_NEGATION_ARAB_RE, LABELS.index("ary_Arab"), _NEGATION_BONUS),
            (BERBER_LETTER_RE, LABELS.index("ber_Latn"), _LETTER_BONUS),
            (FRENCH_LETTER_RE, LABELS.index("fra_Latn"), _LETTER_BONUS),
            (SPANISH_LETTER_RE, LABELS.index("spa_Latn"), _LETTER_BONUS),
        ],
    )


@functools.cache
def _variety_model() -> NaiveBayes:
    from siyada.lang.nbmodel import NaiveBayes

    return NaiveBayes(data_json_gz("ber_variety.json.gz"), alpha=_ALPHA, word_norm=_WORD_NORM)


@functools.cache
def _masks() -> dict[str, Any]:
    """Per script group, 0 for the competing labels and a huge negative score for the others."""
    import numpy as np

    return {
        name: np.array([0.0 if label in allowed else _EXCLUDED for label in LABELS], dtype=np.float32)
        for name, allowed in (("Arab", LABELS_ARAB), ("Latn", LABELS_LATN))
    }


Prepared = tuple[Identification, str, list[str]]


def _prepare_all(texts: Iterable[str]) -> list[Prepared]:
    """``_prepare`` for many texts with one ``clean`` call and one vectorised letter count: the
    texts are joined by newlines (a newline inside a text is whitespace to us, so it becomes a
    space first) and none of the cleaning steps crosses or changes a newline."""
    cut = [t[:MAX_CHARS] for t in texts]
    if not cut:
        return []
    cut = [t.replace("\n", " ") if "\n" in t else t for t in cut]
    joined = clean("\n".join(cut))
    lines = joined.split("\n")
    if len(lines) != len(cut):  # cannot happen (see above); kept so that it could never mislabel
        return [_prepare(clean(t), None) for t in cut]
    counts = count_letters_lines(joined, len(lines))
    return [_prepare(t, c) for t, c in zip(lines, counts, strict=True)]


def _prepare(text: str, counts: dict[str, int] | None) -> Prepared:
    """The answer so far, the competing script group ("" when already final) and the words of
    cleaned ``text``; ``counts`` are its letters per script when already known."""
    if counts is None or "://" in text or "www." in text or "@" in text:
        counts = count_letters(text)  # the URL removal inside ``count_letters`` matters here
    info = script_of_counts(counts)
    if info.letters < 2:
        return Identification(UND, 0.0, [(UND, 0.0)], info.script), "", []
    if info.proportions["Tfng"] >= 0.5:
        share = round(info.proportions["Tfng"], 4)
        return Identification("zgh_Tfng", share, [("zgh_Tfng", share)], info.script), "", []
    text_words = words(text)
    if not text_words:
        return Identification(UND, 0.0, [(UND, 0.0)], info.script), "", []
    # Mixed Arabic/Latin text: the script with more letters decides which labels compete.
    group = "Arab" if info.proportions["Arab"] >= info.proportions["Latn"] else "Latn"
    if info.proportions["Arab"] and info.proportions["Latn"]:
        # Words of the other script say nothing about which of this group's labels applies.
        pattern = ARAB_RE if group == "Arab" else LATN_RE
        text_words = [w for w in text_words if pattern.search(w)] or text_words
    return Identification(UND, 0.0, [], info.script), group, text_words


def _probabilities(groups: list[str], word_lists: list[list[str]]) -> Any:
    """Softmax over each text's competing labels of its summed word scores."""
    import numpy as np

    totals = _lid_model().score_batch(word_lists)
    mask = np.stack([_masks()[g] for g in groups])
    # Sums over many words make naive Bayes over-confident: temper by the square root of length.
    scale = 1.0 / np.sqrt(np.fromiter(map(len, word_lists), dtype=np.float32, count=len(word_lists)))
    z = (totals + mask) * scale[:, None]
    z -= z.max(axis=1, keepdims=True)
    probs = np.exp(z)
    probs /= probs.sum(axis=1, keepdims=True)
    return probs.astype(np.float64)


def identify_batch(texts: Iterable[str], k: int = 1) -> list[Identification]:
    """``identify`` over many texts, scored together: new words of the whole batch are scored in
    one vectorised pass and every word vector is reused by later texts and batches."""
    import numpy as np

    texts = list(texts)
    prepared = _prepare_all(texts)
    pending = [i for i, (_, group, _) in enumerate(prepared) if group]
    if pending:
        probs = _probabilities([prepared[i][1] for i in pending], [prepared[i][2] for i in pending])
        order = np.argsort(-probs, axis=1).tolist()
        rounded = probs.round(4).tolist()
        for row, i in enumerate(pending):
            result, group, _ = prepared[i]
            n_allowed = len(LABELS_ARAB) if group == "Arab" else len(LABELS_LATN)
            result.top = [(LABELS[j], rounded[row][j]) for j in order[row][: min(max(1, k), n_allowed)]]
            result.label, result.score = result.top[0]
        _code_switched([prepared[i] for i in pending], [texts[i] for i in pending])
        berber = [i for i in pending if prepared[i][0].label == "ber_Latn"]
        for i, variety in zip(berber, _varieties([prepared[i][2] for i in berber]), strict=True):
            prepared[i][0].variety = variety
    return [result for result, _, _ in prepared]


def _code_switched(prepared: list[Prepared], originals: list[str]) -> None:
    """Latin-script text that another label won but that holds Darija is Darija with French or
    English in it, and gets ``ary_Latn`` (0.5, the other label second at half its score): an
    Arabizi letter-digit word the model also reads as Darija ("N'importe quoi dye3t une heure"),
    or a Darija phrase — two or more lower-case words that ``segment`` puts in one Darija span
    ("Always an honor to watch … b9a fina bzaf paix à son âme"). Moroccans mix freely, and
    downstream (search keys, transliteration, an agent's reply) must treat such text as Darija.
    Capitalised words do not count towards a phrase: Arabic names in English text ("Wadi Halfa")
    are not Darija."""
    model = _lid_model()
    darija = LABELS.index("ary_Latn")
    for (result, group, text_words), original in zip(prepared, originals, strict=True):
        if group != "Latn" or not _switchable(result):
            continue
        tops = model.vectors(text_words).argmax(axis=1).tolist()
        darija_words = [w for w, top in zip(text_words, tops, strict=True) if top == darija]
        if any(darija_marked_word(w) for w in darija_words) or (
            len(darija_words) >= 2 and _darija_phrase(original, set(darija_words))
        ):
            # Half Darija, half the language that carried the rest: the mix is the finding.
            others = [(label, round(score / 2, 4)) for label, score in result.top if label != "ary_Latn"]
            result.label, result.score = "ary_Latn", 0.5
            result.top = [("ary_Latn", 0.5), *others][: max(1, len(result.top))]


def _switchable(result: Identification) -> bool:
    if result.label in _SWITCH_FROM:
        return True
    return result.label == "ber_Latn" and result.score < _SWITCH_FROM_BERBER_BELOW


def _darija_phrase(text: str, darija_words: set[str]) -> bool:
    """Two lower-case words, each read as Darija on its own, in one Darija span of ``text``."""
    from siyada.lang.codeswitch import segment  # codeswitch imports this module

    for span in segment(text[:MAX_CHARS]):
        if span.label != "ary_Latn":
            continue
        lower = [w for w in span.text.split() if not w[:1].isupper()]
        if sum(any(k in darija_words for k in words(clean(w))) for w in lower) >= 2:
            return True
    return False


def _varieties(word_lists: list[list[str]]) -> list[str | None]:
    """Berber variety per text, or None when the text is short or the evidence is not clear."""
    import numpy as np

    out: list[str | None] = [None] * len(word_lists)
    rows = [j for j, ws in enumerate(word_lists) if len(ws) >= _VARIETY_MIN_WORDS]
    if not rows:
        return out
    model = _variety_model()
    lengths = np.array([len(word_lists[j]) for j in rows], dtype=np.float32)
    z = model.score_batch([word_lists[j] for j in rows]) / np.sqrt(lengths)[:, None]
    probs = np.exp(z - z.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    for row, j in enumerate(rows):
        best = int(probs[row].argmax())
        if probs[row, best] >= _VARIETY_MIN_SCORE:
            out[j] = model.labels[best]
    return out


def identify(text: str, k: int = 3) -> Identification:
    """Language of ``text``: label, score, top-k, script and optional Berber variety.

    >>> identify("wach kayn chi 7al?").label
    'ary_Latn'
    >>> identify("😂😂 https://example.com").label
    'und'
    """
    return identify_batch([text], k)[0]
