"""Orthographic normalisation for Arabic script, Arabizi and any Unicode text.

Key decision: normalisation is conservative by default — it removes what never carries meaning
(invisible characters, tatweel, diacritics, letter look-alikes, elongations) and folds the
spelling variants that readers treat as the same word (alef forms, alef maqsura), but leaves the
ta marbuta and letter case alone unless asked, because those can distinguish words.
All tables are built once at import from literal strings (no I/O).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# Zero-width and bidi controls, soft hyphen, BOM, Arabic letter mark.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, tatweel.
_DIACRITICS = "".join(chr(c) for c in (*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE))) + "\u0640"

_BASE_TABLE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE + _DIACRITICS}
_BASE_TABLE.update(
    {
        # Persian/Urdu look-alikes typed on non-Arabic keyboards.
        ord("ک"): "ك",
        ord("ی"): "ي",
        ord("ې"): "ي",
        ord("ە"): "ه",
        ord("ۀ"): "ه",
        ord("ہ"): "ه",
        ord("ۃ"): "ة",
        ord("ݣ"): "ڭ",
        ord("گ"): "ڭ",
        # Arabic punctuation -> ASCII so tokenisers see one comma and one question mark.
        ord("،"): ",",
        ord("؛"): ";",
        ord("؟"): "?",
    }
)
# Eastern Arabic and Persian digits -> ASCII.
_BASE_TABLE.update({0x0660 + i: str(i) for i in range(10)})
_BASE_TABLE.update({0x06F0 + i: str(i) for i in range(10)})
# Unicode space separators (no-break, thin, ideographic, ...) -> plain space.
_BASE_TABLE.update({c: " " for c in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)})

# Alef forms -> bare alef.
_ALEF_TABLE = {ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ٱ"): "ا", ord("ٲ"): "ا", ord("ٳ"): "ا"}
_MAQSURA_TABLE = {ord("ى"): "ي"}
_TAA_TABLE = {ord("ة"): "ه"}


def _merged(*tables: Mapping[int, str | None]) -> tuple[dict[int, str | None], re.Pattern[str]]:
    """One translation table and a pattern matching any character it changes."""
    merged = {k: v for t in tables for k, v in t.items()}
    return merged, re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(merged)) + "]")


# One merged table per option combination: one ``str.translate`` pass instead of up to four.
_TABLES = {
    (alef, maqsura, taa): _merged(
        _BASE_TABLE,
        _ALEF_TABLE if alef else {},
        _MAQSURA_TABLE if maqsura else {},
        _TAA_TABLE if taa else {},
    )
    for alef in (False, True)
    for maqsura in (False, True)
    for taa in (False, True)
}

# A letter repeated three times or more is expressive lengthening in every language we handle.
_ELONGATION_RE = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLE_VOWEL_RE = re.compile(r"([aeiouy])\1", re.IGNORECASE)
# A whole word (a maximal \w run, as \w+ would find it) holding a letter written 3+ times: the
# Python callback runs for stretched words only, not for every word of a long text.
_ELONGATED_WORD_RE = re.compile(r"\b\w*?([^\W\d_])\1{2,}\w*")
_SPACES_RE = re.compile(r"[ \t]{2,}")


def normalize(
    text: str,
    *,
    taa_marbuta: bool = False,
    alef_maqsura: bool = True,
    alef: bool = True,
    arabizi: bool = True,
    lower: bool = False,
) -> str:
    """Return ``text`` in canonical form.

    Always: NFC, invisible characters removed, tatweel and Arabic diacritics removed, Persian
    look-alikes (ک ی گ) mapped to Arabic letters, Eastern Arabic digits to ASCII, exotic spaces
    to plain spaces. ``alef`` folds أ إ آ ٱ to ا (language identification keeps them: hamza
    spelling is a sign of MSA). ``alef_maqsura`` folds ى to ي, ``taa_marbuta`` folds ة to ه.
    ``arabizi`` collapses expressive lengthening ("bzzzaaf" -> "bzaf", "هههههه" -> "ه").
    ``lower`` case-folds.

    >>> normalize("إِنَّ الكِتَابَ")
    'ان الكتاب'
    >>> normalize("bzzzaaf")
    'bzaf'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    table, needed = _TABLES[alef, alef_maqsura, taa_marbuta]
    found = needed.findall(text)  # a C-speed scan; ``translate`` looks up every character in a dict
    if found:
        # Few characters to map (the usual case): replace just those; many: one translate pass.
        if len(found) * 8 < len(text):
            text = needed.sub(lambda m: table[ord(m.group())] or "", text)
        else:
            text = text.translate(table)
    if arabizi and _ELONGATION_RE.search(text):
        text = _ELONGATED_WORD_RE.sub(_fold_elongated_word, text)
    if lower:
        text = text.lower()
    if "  " in text or "\t" in text:
        text = _SPACES_RE.sub(" ", text)
    return text


def _fold_elongated_word(match: re.Match[str]) -> str:
    word = match.group(0)
    folded = _ELONGATION_RE.sub(r"\1", word)
    if folded != word:
        # A word stretched once is written expressively: its doubled vowels are lengthening too.
        folded = _DOUBLE_VOWEL_RE.sub(r"\1", folded)
    return folded


def strip_accents(text: str) -> str:
    """Remove Latin combining accents (é -> e) but keep Berber letters such as ɣ ɛ ḍ -> d."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
