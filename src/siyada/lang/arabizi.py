"""Darija Arabizi <-> Arabic script.

Key decision: Arabic -> Arabizi is a deterministic letter table with light context rules (the
abjad hides short vowels, so nothing better is knowable without a model). Arabizi -> Arabic is
ambiguous (vowels may or may not be written, doubled letters are shadda, "t" may be ت or ط), so
each word is first looked up in the hand-written lexicon, then decoded by a beam search whose
edits have hand-set costs and whose hypotheses are scored by a character trigram model and a word
list of Darija in Arabic script (both built by ``python -m siyada.lang.build``). Results are
returned best first, as many as asked.
"""

from __future__ import annotations

import functools
import re

from siyada.lang.lexicon import arabic_lm, arabizi_lexicon

_AR2LAT = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "7",
    "خ": "kh",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "ch",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "ع": "3",
    "غ": "gh",
    "ف": "f",
    "ق": "9",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "ى": "a",
    "ء": "2",
    "ؤ": "2",
    "ئ": "2",
    "ڭ": "g",
    "پ": "p",
    "ڤ": "v",
    "ٱ": "a",
}
_SUN = set("تثدذرزسشصضطظلن")
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_LATIN_WORD_RE = re.compile(r"[a-z0-9\u00e0-\u00ff]+(?:['’-][a-z0-9]+)*", re.IGNORECASE)
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9\u00e0-\u00ff]+")
_DIACRITICS_RE = re.compile("[\u064b-\u0652\u0670\u0640]")


def _arabic_word_to_latin(word: str) -> str:
    out: list[str] = []
    if word.startswith("ال") and len(word) > 3:
        first = word[2]
        out.append(_AR2LAT.get(first, "") if first in _SUN else "l")
        word = word[2:]
    n = len(word)
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if ch == "و":
            # Consonantal w next to alef or at a word edge, otherwise the vowel o/ou.
            out.append("w" if i == 0 or prev == "ا" or nxt == "ا" or (i == n - 1 and prev in "اي") else "o")
        elif ch == "ي":
            out.append("y" if i == 0 or prev == "ا" or (nxt != "" and nxt in "او") else "i")
        else:
            out.append(_AR2LAT.get(ch, ch))
    return "".join(out)


def arabic_to_arabizi(text: str) -> str:
    """دابا غادي نمشي -> "daba ghadi nmchi" (word by word; other characters kept)."""
    text = _DIACRITICS_RE.sub("", text)
    return _ARABIC_WORD_RE.sub(lambda m: _arabic_word_to_latin(m.group(0)), text)


# (latin piece, arabic output, cost). Costs are negative log-preferences, set by hand and then
# tuned by coordinate descent on the DODa development words (see docs/languages.md).
_EDITS: dict[str, list[tuple[str, float]]] = {
    "ch": [("ش", 0.0)],
    "sh": [("ش", 0.0)],
    "gh": [("غ", 0.0)],
    "kh": [("خ", 0.0)],
    "th": [("ث", 0.8), ("ت", 0.9)],
    "dh": [("ذ", 0.8), ("ض", 0.9)],
    "ou": [("و", 0.0), ("", 2.5)],
    "oo": [("و", 0.2)],
    "aa": [("ا", 0.0)],
    "ii": [("ي", 0.0)],
    "ee": [("ي", 0.2)],
    "ei": [("ي", 0.3)],
    "ai": [("اي", 0.5), ("ي", 0.6)],
    "2": [("ء", 0.5), ("أ", 0.3)],
    "3": [("ع", 0.0)],
    "4": [("ش", 1.0)],
    "5": [("خ", 0.0)],
    "6": [("ط", 0.0)],
    "7": [("ح", 0.0)],
    "8": [("ه", 0.3), ("غ", 1.0)],
    "9": [("ق", 0.0), ("ص", 2.0)],
    "b": [("ب", 0.0)],
    "p": [("ب", 0.3), ("پ", 0.8)],
    "t": [("ت", 0.0), ("ط", 1.2)],
    "d": [("د", 0.0), ("ض", 1.2)],
    "r": [("ر", 0.0)],
    "z": [("ز", 0.0)],
    "s": [("س", 0.0), ("ص", 1.2)],
    "f": [("ف", 0.0)],
    "v": [("ف", 0.2), ("ڤ", 1.0)],
    "k": [("ك", 0.0)],
    "q": [("ق", 0.0)],
    "l": [("ل", 0.0)],
    "m": [("م", 0.0)],
    "n": [("ن", 0.0)],
    "h": [("ه", 0.3), ("ح", 0.6)],
    "w": [("و", 0.0)],
    "y": [("ي", 0.0)],
    "j": [("ج", 0.0)],
    "g": [("ڭ", 0.0), ("ك", 1.5), ("ج", 1.2), ("غ", 1.4)],
    "x": [("ش", 0.5), ("خ", 0.8), ("كس", 1.5)],
    "c": [("ك", 0.4), ("س", 0.8), ("ش", 1.2)],
    "a": [("ا", 0.3), ("", 0.7)],
    "e": [("", 0.0), ("ي", 1.5)],
    "i": [("ي", 0.1), ("", 1.0)],
    "o": [("و", 0.6), ("", 1.2)],
    "u": [("و", 0.2), ("", 1.5)],
    "é": [("ي", 0.6), ("", 0.8)],
    "è": [("ي", 0.8), ("", 0.6)],
}
_FINAL: dict[str, list[tuple[str, float]]] = {
    "a": [("ا", 0.8), ("ة", 0.3), ("ى", 1.6), ("ه", 1.8)],
    "e": [("", 0.6), ("ة", 1.0), ("ي", 1.5)],
    "o": [("و", 0.0)],
    "ou": [("و", 0.0)],
    "i": [("ي", 0.0)],
}
_INITIAL: dict[str, list[tuple[str, float]]] = {
    "a": [("ا", 0.0)],
    "e": [("ا", 0.2), ("", 1.5)],
    "i": [("ا", 0.5), ("ي", 0.6), ("إ", 1.2)],
    "o": [("و", 0.5), ("ا", 0.8)],
    "ou": [("و", 0.3), ("ا", 1.0)],
    "u": [("و", 0.5), ("ا", 0.8)],
}
# Capital T D S Z H inside Arabizi words mark the emphatic letters (a common convention, DODa's).
_EMPHATIC: dict[str, list[tuple[str, float]]] = {
    "T": [("ط", 0.1), ("ت", 0.8)],
    "D": [("ض", 0.1), ("د", 0.8)],
    "S": [("ص", 0.1), ("س", 0.8)],
    "Z": [("ظ", 0.3), ("ز", 0.5)],
    "H": [("ح", 0.1), ("ه", 0.6)],
}
_BEAM = 24
_LM_WEIGHT = 0.2
_WORD_BONUS = 1.0


@functools.cache
def _vocab_index() -> dict[str, list[str]]:
    """Arabizi spelling -> Arabic words from the hand-written lexicon."""
    return arabizi_lexicon()


_HARD_DIGRAPHS = frozenset({"ch", "sh", "gh", "kh"})


def _options(word: str, i: int) -> list[tuple[int, str, float]]:
    n = len(word)
    opts: list[tuple[int, str, float]] = []
    lower = word.lower()
    if word[i] in _EMPHATIC and lower[i : i + 2] not in _HARD_DIGRAPHS:
        return [(i + 1, out, cost) for out, cost in _EMPHATIC[word[i]]]
    for size in (2, 1):
        piece = lower[i : i + size]
        if len(piece) != size or (size == 1 and lower[i : i + 2] in _HARD_DIGRAPHS):
            continue
        table = _EDITS
        if i == 0 and piece in _INITIAL:
            table = _INITIAL
        elif i + size == n and piece in _FINAL:
            table = _FINAL
        for out, cost in table.get(piece, ()):
            opts.append((i + size, out, cost))
    if i > 0 and lower[i] == lower[i - 1] and lower[i] not in "aeiou":
        # A doubled consonant is one letter with shadda, which is not written.
        opts.append((i + 1, "", 0.1))
    if not opts:
        opts.append((i + 1, lower[i], 3.0))
    return opts


def _decode_word(word: str, n: int) -> list[tuple[str, float]]:
    lm = arabic_lm()
    beams: dict[int, list[tuple[float, str]]] = {0: [(0.0, "")]}
    for i in range(len(word)):
        for cost, out in sorted(beams.pop(i, []))[:_BEAM]:
            for j, piece, edit_cost in _options(word, i):
                new = out + piece
                # Incremental LM score of the letters just added.
                lm_cost = lm.extend_cost(out, piece)
                beams.setdefault(j, []).append((cost + edit_cost + _LM_WEIGHT * lm_cost, new))
    final: dict[str, float] = {}
    for cost, out in beams.get(len(word), []):
        total = cost + _LM_WEIGHT * lm.end_cost(out) - (_WORD_BONUS if lm.is_word(out) else 0.0)
        if out and (out not in final or total < final[out]):
            final[out] = total
    return sorted(final.items(), key=lambda kv: kv[1])[:n]


def arabizi_word_candidates(word: str, n: int = 5) -> list[str]:
    """Arabic-script candidates for one Arabizi word, best first."""
    return list(_word_candidates(word, n))


# Words repeat (Zipf): decoding each distinct word once keeps long texts fast.
@functools.lru_cache(maxsize=65_536)
def _word_candidates(word: str, n: int) -> tuple[str, ...]:
    word = word.replace("’", "'")
    if word.isupper():
        word = word.lower()
    known = _vocab_index().get(word.lower(), [])
    decoded = [w for w, _ in _decode_word(word, n + len(known))] if any(c.isalpha() for c in word) else [word]
    out: list[str] = []
    for cand in [*known, *decoded]:
        if cand not in out:
            out.append(cand)
    return tuple(out[:n])


def arabizi_to_arabic(text: str, n: int = 5) -> tuple[str, list[str]]:
    """Best Arabic-script rendering of ``text`` and up to ``n`` sentence candidates.

    Sentence candidates vary one word at a time from the best rendering, most ambiguous words
    first, so they stay readable rather than being a combinatorial product.
    """
    pieces: list[str] = []
    choices: list[tuple[int, list[str]]] = []
    pos = 0
    for m in _LATIN_TOKEN_RE.finditer(text):
        pieces.append(text[pos : m.start()])
        word = m.group(0)
        if word.isdigit():
            pieces.append(word)
        else:
            cands = arabizi_word_candidates(word, n)
            choices.append((len(pieces), cands))
            pieces.append(cands[0])
        pos = m.end()
    pieces.append(text[pos:])
    best = "".join(pieces)
    candidates = [best]
    for index, cands in choices:
        for alt in cands[1:]:
            if len(candidates) >= n:
                break
            variant = list(pieces)
            variant[index] = alt
            candidates.append("".join(variant))
    return best, candidates[:n]
