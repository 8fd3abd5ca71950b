"""Arabizi <-> Arabic script."""

from __future__ import annotations

import pytest

from siyada.lang.arabizi import arabic_to_arabizi, arabizi_to_arabic, arabizi_word_candidates


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("دابا غادي نمشي", "daba ghadi nmchi"),
        ("عافاك", "3afak"),
        ("حمار", "7mar"),
        ("خبز", "khbz"),
        ("الدار", "ddar"),
        ("القلب", "l9lb"),
        ("واش", "wach"),
    ],
)
def test_arabic_to_arabizi(arabic: str, latin: str) -> None:
    assert arabic_to_arabizi(arabic) == latin


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("3afak", "عافاك"), ("bzaf", "بزاف"), ("wach", "واش"), ("ghadi", "غادي"), ("chkoun", "شكون")],
)
def test_lexicon_words_first(latin: str, arabic: str) -> None:
    assert arabizi_word_candidates(latin, 5)[0] == arabic


def test_decoder_handles_digits_digraphs_and_doubles() -> None:
    cands = arabizi_word_candidates("m9le9", 5)
    assert cands[0] == "مقلق"
    assert "خ" in arabizi_word_candidates("5obz", 1)[0]
    assert arabizi_word_candidates("kkkhhhh", 3)  # never empty, whatever the input


def test_sentence_candidates_are_distinct_and_bounded() -> None:
    best, cands = arabizi_to_arabic("wach nta mezyan? 3la 10h", n=4)
    assert best == cands[0]
    assert len(cands) == len(set(cands)) <= 4
    assert "10" in best and "?" in best
