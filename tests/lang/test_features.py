"""Feature helpers: which tokens are numbers rather than Arabizi words."""

from __future__ import annotations

import pytest

from siyada.lang.features import arabizi_word, darija_marked_word, number_expression


@pytest.mark.parametrize("word", ["10h", "10h30", "3eme", "3ème", "2nd", "5km", "7pm", "4g", "1er", "3e"])
def test_numbers_with_units_ordinals_and_times(word: str) -> None:
    assert number_expression(word)


@pytest.mark.parametrize("word", ["9d", "3la", "7al", "3afak", "l9wada", "2", "bzaf", "3s"])
def test_arabizi_words_and_bare_digits_are_not_number_expressions(word: str) -> None:
    assert not number_expression(word)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("3afak", True),
        ("l9wada", True),
        ("dye3t", True),
        ("2eme", False),
        ("7pm", False),
        ("mp3", False),
        ("zaf", False),
    ],
)
def test_arabizi_word(word: str, expected: bool) -> None:
    assert arabizi_word(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("dye3t", True), ("mafhemtch", True), ("makaynch", True), ("match", False), ("mash", False), ("marsh", False)],
)
def test_darija_marked_word(word: str, expected: bool) -> None:
    assert darija_marked_word(word) is expected
