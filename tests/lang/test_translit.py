"""The transliterate() entry point."""

from __future__ import annotations

import pytest

from siyada.errors import InvalidRequestError
from siyada.lang import transliterate


def test_each_direction() -> None:
    assert transliterate("ⵜⴰⵎⴰⵣⵉⵖⵜ", to="Latn").result == "tamaziɣt"
    assert transliterate("tamaziɣt", to="Tfng").result == "ⵜⴰⵎⴰⵣⵉⵖⵜ"
    assert transliterate("3afak", to="Arab").result == "عافاك"
    assert transliterate("شكون", to="Latn").result == "chkon"


def test_candidates_best_first_and_n_respected() -> None:
    out = transliterate("wach kayn chi 7al", to="Arab", n=3)
    assert out.candidates[0] == out.result and len(out.candidates) <= 3
    assert out.source == "Latn" and out.target == "Arab"


def test_mixed_script_text_converts_each_part() -> None:
    out = transliterate("salam ⴰⵣⵓⵍ", to="Arab")
    assert "سلام" in out.result and "ⴰ" not in out.result


def test_same_script_or_no_letters_is_unchanged() -> None:
    assert transliterate("bonjour", to="Latn").result == "bonjour"
    assert transliterate("😂 123", to="Arab").result == "😂 123"
    assert transliterate("", to="Tfng").result == ""


def test_bad_target() -> None:
    with pytest.raises(InvalidRequestError):
        transliterate("x", to="Cyrl")
    with pytest.raises(InvalidRequestError):
        transliterate("x", to="Arab", source="Grek")
