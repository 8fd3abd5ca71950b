"""Text -> words -> character n-gram features, shared by the model builder and the identifier.

Key decision: the unit of work is the *word*. A word's features are the character 2- to
4-grams of `` word `` (spaces mark its edges) plus the word itself; the identifier sums a cached
per-word score vector, so a word seen once costs one dictionary lookup afterwards. URLs, e-mail
addresses, @mentions and the retweet marker are removed first: they are not language.
"""

from __future__ import annotations

import re

from siyada.lang.orthography import normalize

LABELS_ARAB = ("ary_Arab", "arb_Arab")
LABELS_LATN = ("ary_Latn", "ber_Latn", "fra_Latn", "eng_Latn", "spa_Latn")
LABELS_TFNG = ("zgh_Tfng",)
LABELS = LABELS_ARAB + LABELS_LATN + LABELS_TFNG
MIN_ORDER = 2
MAX_ORDER = 4

_NOISE_RE = re.compile(
    # Alternatives start with a literal where possible ("#(?<!\w#)" is "(?<!\w)#", "RT(?<!\wRT)\b"
    # is "\bRT\b"): the engine then skips ahead to candidates instead of trying every position.
    r"https?://[^\s<>\"]+|www\.[^\s<>\"]+|\S+@\S+\.\w+|@\w+|#(?<!\w#)|RT(?<!\wRT)\b|<[^<>\n]{0,300}>|&#?\w{1,8};",
    re.IGNORECASE,
)
# Arabizi writes ع ح ق خ ء as digits inside words: a letter-digit mix is strong evidence.
ARABIZI_DIGIT_RE = re.compile(r"[a-z][2-9]|[2-9][a-z]")
# Darija negation wraps the verb: ma-...-ch / ما...ش ("mafhemtch", "ماعرفتش").
DARIJA_NEGATION_LATN_RE = re.compile(r"^ma\w{2,}(?:ch|sh)$")
DARIJA_NEGATION_ARAB_RE = re.compile(r"^ما\w{2,}ش$")
# Digits with an ordinal, unit or time suffix: numbers, not Arabizi ("3rd", "2eme", "5km", "10h30").
_NUMBER_EXPRESSION_RE = re.compile(
    r"^\d+(?:st|nd|rd|th|e|er|eme|ème|ere|h|hr|hrs|am|pm|min|mins|k|km|kg|g|gb|mb|go|mo|mm|cm|ans|day|days)$"
    r"|^\d+h\d+$"
)


def number_expression(word: str) -> bool:
    """True for digits with an ordinal, unit or time suffix ("3rd", "2eme", "5km", "7pm", "10h30")."""
    return bool(_NUMBER_EXPRESSION_RE.match(word.lower()))


# The strict form of ARABIZI_DIGIT_RE: only the digits that write Arabic letters (3 = ع, 7 = ح,
# 9 = ق, 5 = خ, 2 = ء), for a word that marks Darija even in a French or English sentence
# (``lid._code_switched``); 4, 6 and 8 also write English ("b4", "gr8").
_ARABIZI_LETTER_DIGIT_RE = re.compile(r"[a-z][23579]|[23579][a-z]")
_DIGIT_RUN_RE = re.compile(r"\d\d")


def arabizi_word(word: str) -> bool:
    """True for a word written with Arabizi letter-digits ("3afak", "l9wada", "dye3t"), three
    letters or more; not for numbers with units ("3eme", "7pm") nor numbers inside names and
    codes ("NAD27", "EGM2008"): an Arabizi digit stands alone."""
    letters = sum(c.isalpha() for c in word)
    return (
        letters >= 3
        and bool(_ARABIZI_LETTER_DIGIT_RE.search(word))
        and not number_expression(word)
        and not _DIGIT_RUN_RE.search(word)
    )


def darija_marked_word(word: str) -> bool:
    """True for a word that only Darija writes among our Latin-script languages: Arabizi
    letter-digits ("dye3t") or the negation circumfix ma…ch ("maymkench", "mafhemtch")."""
    return arabizi_word(word) or bool(DARIJA_NEGATION_LATN_RE.match(word))


# Letters that only Berber orthographies use among our Latin-script languages.
BERBER_LETTER_RE = re.compile("[ɣɛḍṭṛṣẓḥčǧ]")
FRENCH_LETTER_RE = re.compile("[èêëàâçùûîïôœ]")
SPANISH_LETTER_RE = re.compile("[ñáíóú]")
# Letters (any script), digits glued to letters (Arabizi 3, 7, 9), apostrophes inside words.
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)*")


def clean(text: str) -> str:
    """Normalised, lower-cased text without URLs, e-mails, @mentions and RT markers."""
    if "@" in text or "://" in text or "www." in text or "#" in text or "RT" in text or "<" in text or "&" in text:
        text = _NOISE_RE.sub(" ", text)
    return normalize(text, lower=True, alef=False)


def words(text: str) -> list[str]:
    """Words of cleaned text that contain at least one letter."""
    return [w for w in _WORD_RE.findall(text) if not w.isdigit()]


def word_features(word: str) -> list[str]:
    padded = f" {word} "
    feats = [padded[i : i + n] for n in range(MIN_ORDER, MAX_ORDER + 1) for i in range(len(padded) - n + 1)]
    feats.append("W" + word)
    return feats
