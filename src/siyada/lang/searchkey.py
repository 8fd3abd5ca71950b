"""Search keys that let an Arabizi query meet Arabic-script text, and the other way round.

Key decision: every word yields its plain normalised form (so French, English and exact matches
work as usual) plus, for words with letters, a *consonant skeleton* prefixed with ``0``: both
scripts are mapped into one small Latin alphabet, vowels and the letters that mostly write vowels
(ا و ي ى ة ء ع, a e i o u y w, 2 3) are dropped, emphatic/plain pairs that Arabizi writers do
not distinguish are merged (ص/س, ط/ت, ض/ظ/ذ/د, ح/ه, ق/ك, and /g/ — Latin g, ڭ — with them,
because Moroccan writing spells /g/ ك, ق or ڭ: "agadir" meets أكادير), doubled consonants are collapsed, the
article (ال / el- / l-) and a final h are dropped. "bzaf", "bzzzaaf" and "بزاف" all give
``0bzf``; "7mar", "hmar" and "حمار" give ``0hmr``. Keys are alphanumeric tokens separated by
spaces, so SQLite FTS5's default tokenizer indexes them unchanged.
"""

from __future__ import annotations

import re

from siyada.lang.orthography import normalize, strip_accents

SKELETON_PREFIX = "0"

_ARABIC_SKELETON = {
    "ب": "b",
    "پ": "b",
    "ت": "t",
    "ث": "t",
    "ط": "t",
    "ج": "j",
    "ح": "h",
    "ه": "h",
    "خ": "x",
    "د": "d",
    "ذ": "d",
    "ض": "d",
    "ظ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ص": "s",
    "ش": "c",
    "غ": "g",
    "ڭ": "k",
    "ف": "f",
    "ڤ": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
# Digraphs first: the longest match wins when the word is scanned left to right.
_LATIN_DIGRAPHS = {"ch": "c", "sh": "c", "kh": "x", "gh": "g", "th": "t", "dh": "d", "ou": ""}
_LATIN_SKELETON = {
    "b": "b",
    "p": "b",
    "t": "t",
    "6": "t",
    "j": "j",
    "h": "h",
    "7": "h",
    "8": "h",
    "x": "x",
    "5": "x",
    "d": "d",
    "r": "r",
    "z": "z",
    "s": "s",
    "9": "k",
    "q": "k",
    "k": "k",
    "c": "k",
    "g": "k",
    "f": "f",
    "v": "f",
    "l": "l",
    "m": "m",
    "n": "n",
    "ḍ": "d",
    "ṭ": "t",
    "ṣ": "s",
    "ẓ": "z",
    "ṛ": "r",
    "ḥ": "h",
    "ɣ": "g",
    "č": "c",
    "ǧ": "j",
    "š": "c",
}
_TOKEN_RE = re.compile(r"[^\W_]+")
_ARABIC_RE = re.compile(r"[\u0620-\u06ff]")


def _arabic_skeleton(word: str) -> str:
    if len(word) > 3 and word.startswith("ال"):
        word = word[2:]
    return "".join(_ARABIC_SKELETON.get(c, "") for c in word)


def _latin_skeleton(word: str) -> str:
    for article in ("el", "al", "l"):
        # Arabizi writes the assimilated article as a doubled first letter ("ddar", "echchems").
        if word.startswith(article) and len(word) > len(article) + 2 and word[len(article)] == word[len(article) + 1]:
            word = word[len(article) :]
            break
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _LATIN_DIGRAPHS:
            out.append(_LATIN_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LATIN_SKELETON.get(word[i], ""))
        i += 1
    return "".join(out)


def skeleton(word: str) -> str:
    """Consonant skeleton of one normalised, lower-cased word ("" when it has no consonant)."""
    raw = _arabic_skeleton(word) if _ARABIC_RE.search(word) else _latin_skeleton(word)
    collapsed = re.sub(r"(.)\1+", r"\1", raw)
    if len(collapsed) > 1 and collapsed.endswith("h"):
        collapsed = collapsed[:-1]
    return collapsed


def search_key(text: str) -> str:
    """Space-separated index/query tokens for ``text`` (see the module docstring).

    >>> search_key("bzzzaaf") == search_key("بزاف").replace("بزاف", "bzaf")
    True
    """
    text = normalize(text, taa_marbuta=True, lower=True)
    tokens: list[str] = []
    for word in _TOKEN_RE.findall(text):
        plain = strip_accents(word) if not _ARABIC_RE.search(word) else word
        tokens.append(plain)
        if not plain.isdigit():
            skel = skeleton(plain)
            if skel:
                tokens.append(SKELETON_PREFIX + skel)
    return " ".join(tokens)
