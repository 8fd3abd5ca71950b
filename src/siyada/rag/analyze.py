"""What ``siyada.lang`` contributes to a chunk or a query: language, plain words, search keys.

Two keyword texts are indexed per chunk: ``plain`` (normalised, lower-cased words; a
conventional BM25) and ``keys`` (``search_key``: plain words plus cross-script consonant
skeletons, so "bzaf" finds "بزاف"). Hybrid search uses ``keys``; ``plain`` exists so the
benchmark can measure what transliteration adds, and for callers who want literal matching.
"""

from __future__ import annotations

import re

# Submodules, not ``siyada.lang``'s lazy names: once ``siyada.lang.normalize`` (the module) is
# imported, the package attribute ``normalize`` is that module, not the function.
from siyada.lang.identify import identify
from siyada.lang.normalize import normalize
from siyada.lang.searchkey import search_key

_WORDS = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 64


def language(text: str) -> str:
    return str(identify(text).label)


def plain_text(text: str) -> str:
    return " ".join(_WORDS.findall(normalize(text, lower=True)))


def key_text(text: str) -> str:
    return str(search_key(text))


def fts_query(tokens_text: str) -> str:
    """An FTS5 query matching any of the space-separated tokens (each quoted, so never syntax)."""
    seen: dict[str, None] = {}
    for token in tokens_text.split():
        seen.setdefault(token, None)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)
