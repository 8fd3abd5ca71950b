"""Tifinagh <-> Latin transliteration following the IRCAM standard (ⵯ <-> ʷ).

Key decision: a table (``data/tifinagh_latin.tsv``) applied by longest match, case-insensitive on
the Latin side, leaving every character not in the table untouched. Each IRCAM letter has exactly
one Latin value and the other way round, so IRCAM text makes an exact round trip; the few
Kabyle/Tarifit extensions go one way only where their Latin value is shared (ⵁ -> h).
"""

from __future__ import annotations

import functools
from importlib import resources

from siyada.errors import ConfigError

_DATA = "tifinagh_latin.tsv"


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    text = resources.files("siyada.lang").joinpath("data", _DATA).read_text(encoding="utf-8")
    to_latin: dict[str, str] = {}
    to_tfng: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#") or line.startswith("tifinagh\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise ConfigError(f"siyada/lang/data/{_DATA}:{lineno}: expected 'tifinagh<TAB>latin<TAB>status'")
        tfng, latin, status = parts
        to_latin[tfng] = latin
        if status != "to_latin_only":
            to_tfng[latin] = tfng
    return to_latin, to_tfng


def _longest_match(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in table:
            out.append(table[pair])
            i += 2
        else:
            out.append(table.get(text[i], text[i]))
            i += 1
    return "".join(out)


def tifinagh_to_latin(text: str) -> str:
    """ⵜⴰⵎⴰⵣⵉⵖⵜ -> tamaziɣt; characters outside the table are kept."""
    return _longest_match(text, _tables()[0])


def latin_to_tifinagh(text: str) -> str:
    """tamaziɣt -> ⵜⴰⵎⴰⵣⵉⵖⵜ (the Latin side is read case-insensitively)."""
    _, to_tfng = _tables()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = text[i : i + 2].lower()
        if len(pair) == 2 and pair in to_tfng:
            out.append(to_tfng[pair])
            i += 2
            continue
        ch = text[i]
        out.append(to_tfng.get(ch.lower(), ch))
        i += 1
    return "".join(out)
