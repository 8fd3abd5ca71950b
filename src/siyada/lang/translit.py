"""One entry point for every transliteration: Arabizi <-> Arabic script, Tifinagh <-> Latin.

Key decision: the source script is detected from the text unless given, and the pair
(source, target) picks a pure function from a table; Latin text going to Tifinagh is read as
IRCAM Latin, Latin text going to Arabic as Darija Arabizi.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from siyada.errors import InvalidRequestError
from siyada.lang.arabizi import arabic_to_arabizi, arabizi_to_arabic
from siyada.lang.script import TFNG_RE, detect_script
from siyada.lang.tifinagh import latin_to_tifinagh, tifinagh_to_latin

TARGETS = ("Arab", "Latn", "Tfng")


@dataclass(slots=True)
class Transliteration:
    """The best rendering and up to ``n`` candidates, best first (``result`` is the first)."""

    result: str
    candidates: list[str] = field(default_factory=list)
    source: str = "none"
    target: str = "Latn"


def _to_arab(text: str, n: int) -> tuple[str, list[str]]:
    if TFNG_RE.search(text):
        text = tifinagh_to_latin(text)
    return arabizi_to_arabic(text, n)


def _to_latn(text: str, n: int) -> tuple[str, list[str]]:
    out = arabic_to_arabizi(tifinagh_to_latin(text))
    return out, [out]


def _to_tfng(text: str, n: int) -> tuple[str, list[str]]:
    out = latin_to_tifinagh(arabic_to_arabizi(text))
    return out, [out]


# Each step only rewrites the letters of its own source script, so one pipeline per target
# handles pure and mixed-script text alike.
_PIPELINES: dict[str, Callable[[str, int], tuple[str, list[str]]]] = {
    "Arab": _to_arab,
    "Latn": _to_latn,
    "Tfng": _to_tfng,
}


def transliterate(text: str, to: str, source: str | None = None, n: int = 5) -> Transliteration:
    """Write ``text`` in script ``to`` ("Arab", "Latn" or "Tfng").

    Latin text is read as Darija Arabizi when going to Arabic and as IRCAM Latin when going to
    Tifinagh. ``source`` only labels the result; it is detected when omitted.

    >>> transliterate("ⵜⴰⵎⴰⵣⵉⵖⵜ", to="Latn").result
    'tamaziɣt'
    >>> transliterate("3afak", to="Arab").result
    'عافاك'
    """
    if to not in TARGETS:
        raise InvalidRequestError(f"unknown target script {to!r}; expected one of {', '.join(TARGETS)}", param="to")
    if source is not None and source not in TARGETS:
        raise InvalidRequestError(
            f"unknown source script {source!r}; expected one of {', '.join(TARGETS)}", param="source"
        )
    src = source or detect_script(text).script
    if src in ("none", to):
        return Transliteration(text, [text], src, to)
    result, candidates = _PIPELINES[to](text, max(1, n))
    return Transliteration(result, candidates[: max(1, n)], src, to)
