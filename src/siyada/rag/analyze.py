"""What ``siyada.lang`` contributes to a chunk or a query: language, plain words, search keys.

Three keyword texts are indexed per chunk: ``plain`` (normalised, lower-cased words; a
conventional BM25) and ``keys`` (``search_key``: plain words plus cross-script consonant
skeletons, so "bzaf" finds "بزاف") and ``concepts`` (concept tokens of the bundled lexicon, so
"certificat de résidence" finds «شهادة السكنى»). Hybrid search uses ``keys`` and ``concepts``;
``plain`` exists so the benchmark can measure what transliteration adds, and for callers who
want literal matching.

A query identified as French, English or Spanish searches the keys column without its skeleton
tokens: the skeleton of a European word ("television" -> ``0tlfsn``) is noise that matches
unrelated Arabic-script words, while its plain form still finds names and shared words.
"""

from __future__ import annotations

import re

from siyada.lang import identify, normalize, search_key
from siyada.lang.concepts import concept_text as _concept_text
from siyada.lang.searchkey import SKELETON_PREFIX

_WORDS = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 64
# Languages whose words have no Arabic-script spelling to meet.
NO_SKELETON_QUERY = frozenset({"fra_Latn", "eng_Latn", "spa_Latn"})


def language(text: str) -> str:
    return str(identify(text).label)


def plain_text(text: str) -> str:
    return " ".join(_WORDS.findall(normalize(text, lower=True)))


def key_text(text: str) -> str:
    return str(search_key(text))


def concept_text(text: str, lang: str | None = None) -> str:
    """Concept tokens (``siyada.lang.concepts``): what lets a French question meet a Darija passage."""
    return _concept_text(text, lang)


def query_keys(query: str) -> str:
    """Search keys for a query; skeletons dropped for European-language queries (see above)."""
    keys = key_text(query)
    if language(query) in NO_SKELETON_QUERY:
        keys = " ".join(t for t in keys.split() if not t.startswith(SKELETON_PREFIX))
    return keys


def fts_query(tokens_text: str) -> str:
    """An FTS5 query matching any of the space-separated tokens (each quoted, so never syntax)."""
    seen: dict[str, None] = {}
    for token in tokens_text.split():
        seen.setdefault(token, None)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)


LATIN_DARIJA = frozenset({"ary_Latn", "ber_Latn"})


def query_variants(query: str) -> list[str]:
    """The query, plus its Arabic-script transliteration when it is Latin-script Darija.

    Arabizi questions rarely share words with documents written in Arabic script; searching the
    transliteration too (and fusing) is what lets them meet.
    """
    variants = [query]
    try:
        from siyada.lang.translit import transliterate

        label = language(query)
        if label in LATIN_DARIJA or (label == "und" and query.isascii()):
            arab = transliterate(query, to="Arab").result
            if arab and arab != query:
                variants.append(arab)
    except Exception:  # transliteration is an aid, never a reason to fail a search
        pass
    return variants
