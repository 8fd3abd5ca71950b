"""Arabizi spelling habits for the Darija verb generator (``siyada.lang.verbforms``).

Key decision: one canonical spelling per form goes in, and only the habits real writers have come out,
each applied to the whole word (schwa dropped, "ou" -> "o", "ch" -> "sh", "kh" -> "5", a geminate
written once...), so the table stays small enough to ship.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

VOWELS = "aeiou"
DIGRAPH = ("ch", "sh", "kh", "gh")
_LIGHT = re.compile(r"^(.*[^aeiou])[eo](ch|sh|kh|gh|[^aeiou])$")
_DOUBLE = re.compile(r"([^aeiou])\1")


def light(stem: str) -> str:
    """Stem before a vowel-initial suffix: the last schwa falls ("kteb" + "at" -> "ktbat")."""
    m = _LIGHT.match(stem)
    return m.group(1) + m.group(2) if m else stem


def onset_cluster(stem: str) -> bool:
    """Does the stem start with two consonants ("kteb", "mchi"), taking an epenthetic "e"?"""
    first = 2 if stem[:2] in DIGRAPH else 1
    return len(stem) > first + 1 and stem[0] not in VOWELS and stem[first] not in VOWELS


def spellings(word: str, flags: frozenset[str] = frozenset()) -> list[str]:
    """The usual ways of typing one canonical Arabizi word, canonical first."""
    if "E" in word:  # an optional vowel typed by some ("nEkteb"): the one spelling and its "o" form
        low = word.lower()
        return list(dict.fromkeys((low, low.replace("ou", "o"))))
    forms = [word]
    # Dropping the schwa of a geminate ("sellem" -> "sllm") is not how people type; of the
    # single-letter form it is ("selem" -> "slm").
    if "loan" not in flags and "e" in word and not _DOUBLE.search(word):
        forms.append(word.replace("e", ""))
    forms += [w.replace("ou", "o") for w in forms if "ou" in w]
    if word.endswith("ou"):
        forms.append(word[:-2] + "u")
    if word.endswith(("aw", "iw")):
        forms.append(word[:-1] + "ou")
    for old, new in (("ch", "sh"), ("kh", "5")):
        if old in word:
            forms.append(word.replace(old, new))
    if "q" in flags and "9" in word:
        forms += [w.replace("9", "q") for w in forms[:2]]
    return list(dict.fromkeys(f for f in forms if any(c in VOWELS for c in f) or len(f) <= 6))


def stem_variants(spelled: Iterable[str]) -> list[str]:
    """Canonical stems plus their single-letter forms ("sellem" -> "selem")."""
    out = list(spelled)
    out.append(_DOUBLE.sub(r"\1", out[0]))
    return list(dict.fromkeys(out))
