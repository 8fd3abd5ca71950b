"""Script detection: which writing systems a text uses, by share of letters.

Key decision: only letters count. Digits, punctuation, emoji and URLs say nothing about the
script, so "3afak" is Latin and "١٢٣" or "😂😂" is ``none``. Counting is done with three
regular-expression substitutions (C speed), never a Python loop over characters, so a 1 MB line
costs milliseconds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

# Letter ranges per script. Arabic includes the presentation forms and the supplement (ڭ, ݣ).
_ARAB = "\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
_TFNG = "\u2d30-\u2d6f"
# Basic Latin letters, Latin-1/Extended-A/B, IPA (ɣ ɛ), Latin Extended Additional (ḍ ṭ ṛ).
_LATN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0250-\u02af\u1e00-\u1eff"

ARAB_RE = re.compile(f"[{_ARAB}]")
TFNG_RE = re.compile(f"[{_TFNG}]")
LATN_RE = re.compile(f"[{_LATN}]")
# Runs of letters: one match per word rather than per letter keeps counting cheap.
_ARAB_RUN_RE = re.compile(f"[{_ARAB}]+")
_TFNG_RUN_RE = re.compile(f"[{_TFNG}]+")
_LATN_RUN_RE = re.compile(f"[{_LATN}]+")
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)

SCRIPTS = ("Arab", "Latn", "Tfng")
# Share of letters a script must reach for the text to be called that script rather than mixed.
DOMINANT_SHARE = 0.8


@dataclass(slots=True)
class ScriptInfo:
    """The dominant script ("Arab", "Latn", "Tfng", "mixed" or "none") and letter shares."""

    script: str
    proportions: dict[str, float] = field(default_factory=dict)
    letters: int = 0


def count_letters(text: str) -> dict[str, int]:
    """Letters per script, URLs and e-mail addresses excluded."""
    if "://" in text or "www." in text or "@" in text:
        text = URL_RE.sub(" ", text)
    n = len(text)
    return {
        "Arab": n - len(_ARAB_RUN_RE.sub("", text)),
        "Latn": n - len(_LATN_RUN_RE.sub("", text)),
        "Tfng": n - len(_TFNG_RUN_RE.sub("", text)),
    }


# Index of each script in the rows of ``count_letters_lines``; 0 = not a letter of ours.
_CLASSES = {"Arab": 1, "Latn": 2, "Tfng": 3}
_PLANE = 0x10000


@functools.cache
def _class_table() -> Any:
    """Script class of every Basic Multilingual Plane code point, from the same regexes."""
    import numpy as np

    table = np.zeros(_PLANE, dtype=np.int64)
    plane = "".join(map(chr, range(_PLANE)))
    for name, pattern in (("Arab", _ARAB_RUN_RE), ("Latn", _LATN_RUN_RE), ("Tfng", _TFNG_RUN_RE)):
        for m in pattern.finditer(plane):
            table[m.start() : m.end()] = _CLASSES[name]
    return table


def count_letters_lines(text: str, lines: int) -> list[dict[str, int]]:
    """``count_letters`` for each of the ``lines`` newline-separated lines of ``text`` at once
    (numpy; no URL removal, so for already cleaned text). Every letter our regexes know is in the
    Basic Multilingual Plane, so anything above it counts as no script."""
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _class_table()[np.minimum(points, _PLANE - 1)]
    classes[points >= _PLANE] = 0
    line = np.cumsum(points == 10)
    counts = np.bincount(line * 4 + classes, minlength=4 * lines).reshape(lines, 4).tolist()
    return [{"Arab": row[1], "Latn": row[2], "Tfng": row[3]} for row in counts]


def script_of_counts(counts: dict[str, int]) -> ScriptInfo:
    total = sum(counts.values())
    if total == 0:
        return ScriptInfo("none", {s: 0.0 for s in SCRIPTS}, 0)
    proportions = {s: counts[s] / total for s in SCRIPTS}
    best = max(SCRIPTS, key=proportions.__getitem__)
    script = best if proportions[best] >= DOMINANT_SHARE else "mixed"
    return ScriptInfo(script, proportions, total)


def detect_script(text: str) -> ScriptInfo:
    """Dominant script of ``text`` with the share of each script among its letters.

    >>> detect_script("wach kayn chi 7al?").script
    'Latn'
    >>> detect_script("ⵜⴰⵎⴰⵣⵉⵖⵜ").script
    'Tfng'
    >>> detect_script("😂 123").script
    'none'
    """
    return script_of_counts(count_letters(text))
