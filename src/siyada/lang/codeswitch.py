"""Code-switch segmentation: cut a message into spans of one language each.

Key decision: each word gets the identifier's cached per-word scores, restricted to the labels
of its own script (an Arabic-script word cannot be French), and a Viterbi pass with a fixed
switch cost picks the label sequence, so one ambiguous word does not open a span of its own.
Spans cover words; the spaces and punctuation between two spans of different languages belong
to neither. Offsets are Python string indices into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from siyada.lang.features import LABELS, LABELS_ARAB, LABELS_LATN, darija_marked_word, number_expression
from siyada.lang.lid import _lid_model
from siyada.lang.orthography import normalize
from siyada.lang.script import ARAB_RE, TFNG_RE

# Cost (in the per-word score unit) of switching language between two adjacent words.
SWITCH_COST = 5.0
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")
_IMPOSSIBLE = -1e9


@dataclass(slots=True)
class Span:
    """``text[start:end]`` is in language ``label``."""

    start: int
    end: int
    text: str
    label: str


_DARIJA = LABELS.index("ary_Latn")


def _emissions(tokens: list[str]) -> list[list[float]]:
    """Per-word label scores, restricted to the labels of each word's own script. A word written
    with Arabizi letter-digits that the model reads as Darija ("dye3t") is Darija even alone in a
    French sentence, as ``identify`` decides: its Darija score is raised past two switch costs."""
    keys = [normalize(w, lower=True, alef=False) for w in tokens]
    vectors = _lid_model().vectors(keys).tolist()
    rows: list[list[float]] = []
    for word, key, vector in zip(tokens, keys, vectors, strict=True):
        if TFNG_RE.search(word):
            allowed: tuple[str, ...] = ("zgh_Tfng",)
            vector = [0.0] * len(LABELS)
        else:
            allowed = LABELS_ARAB if ARAB_RE.search(word) else LABELS_LATN
            if darija_marked_word(key) and max(vector) == vector[_DARIJA]:
                vector[_DARIJA] += 2 * SWITCH_COST + 1.0
        rows.append([v if label in allowed else _IMPOSSIBLE for label, v in zip(LABELS, vector, strict=True)])
    return rows


def _viterbi(emissions: list[list[float]]) -> list[int]:
    """Best label path when staying costs nothing and switching costs ``SWITCH_COST``."""
    score = list(emissions[0])
    back: list[list[int]] = []
    labels = range(len(score))
    for em in emissions[1:]:
        best = max(score)
        best_prev = score.index(best)
        switch = best - SWITCH_COST
        back.append([j if score[j] >= switch else best_prev for j in labels])
        score = [(s if s >= switch else switch) + e for s, e in zip(score, em, strict=True)]
    path = [score.index(max(score))]
    for row in reversed(back):
        path.append(row[path[-1]])
    return path[::-1]


def segment(text: str) -> list[Span]:
    """Language spans of ``text`` in order; words without letters are skipped.

    >>> [(s.text, s.label) for s in segment("ⴰⵣⵓⵍ salam khoya")]
    [('ⴰⵣⵓⵍ', 'zgh_Tfng'), ('salam khoya', 'ary_Latn')]
    """
    # Numbers, also with a unit or ordinal ("10h", "3rd"), belong to no language.
    matches = [m for m in _WORD_RE.finditer(text) if not (m.group(0).isdigit() or number_expression(m.group(0)))]
    if not matches:
        return []
    path = _viterbi(_emissions([m.group(0) for m in matches]))
    spans: list[Span] = []
    for m, index in zip(matches, path, strict=True):
        label = LABELS[index]
        if spans and spans[-1].label == label:
            spans[-1].end = m.end()
        else:
            spans.append(Span(m.start(), m.end(), "", label))
    for span in spans:
        span.text = text[span.start : span.end]
    return spans
