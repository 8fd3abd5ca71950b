"""Arabizi <-> Arabic script."""

from __future__ import annotations

import re

import pytest

from siyada.lang.arabizi import (
    _closed_syllable,
    arabic_to_arabizi,
    arabizi_to_arabic,
    arabizi_word_candidates,
    near_key,
)
from siyada.lang.lexicon import darija_lexicon


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


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("ra2is", "رئيس"), ("mas2oul", "مسؤول"), ("so2al", "سؤال"), ("faj2atan", "فجأة"), ("khaSSa", "خاصة")],
)
def test_hamza_seats_adverbs_and_doubled_emphatics(latin: str, arabic: str) -> None:
    assert arabizi_word_candidates(latin, 1)[0] == arabic


def test_capital_emphatic_inside_a_word_overrules_the_case_blind_lexicon() -> None:
    assert "ط" in arabizi_word_candidates("baT", 1)[0]
    assert arabizi_word_candidates("bat", 1)[0] == arabizi_word_candidates("Bat", 1)[0]
    # A capital first letter alone is sentence case as often as an emphatic: the lexicon word stays.
    assert arabizi_word_candidates("Salam", 1)[0] == "سلام"


def test_sentence_candidates_are_distinct_and_bounded() -> None:
    best, cands = arabizi_to_arabic("wach nta mezyan? 3la 10h", n=4)
    assert best == cands[0]
    assert len(cands) == len(set(cands)) <= 4
    assert "10" in best and "?" in best


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("tomobil", "طوموبيل"),
        ("sbitar", "سبيطار"),
        ("kanmchi", "كنمشي"),  # verb paradigm: ka- present
        ("makanfhemch", "ماكنفهمش"),  # negation ma...ch
        ("chefti", "شفتي"),  # hollow verb, past
        ("mchat", "مشات"),  # final-weak verb, past 3rd feminine
    ],
)
def test_darija_lexicon_words(latin: str, arabic: str) -> None:
    assert arabizi_word_candidates(latin, 5)[0] == arabic


def test_near_key_joins_spelling_variants() -> None:
    assert near_key("chouf") == near_key("shof") == near_key("chuf")
    assert near_key("bezzaf") == near_key("bzaf")
    assert near_key("kayn") == near_key("kain")
    assert near_key("ktab") != near_key("kteb")


def test_article_forms_need_the_article_in_the_spelling() -> None:
    # "sba7" is the bare noun; only "ssba7" / "lsba7"-like spellings may give الصباح.
    index = darija_lexicon()
    assert all("الصباح" not in index.get(s, []) for s in ("sba7", "dar", "nhar"))
    assert "الدار" in index["ddar"]


def test_darija_lexicon_is_large_and_well_formed() -> None:
    words, everything = darija_lexicon(verbs=False), darija_lexicon()
    assert len({w for ws in words.values() for w in ws}) >= 1000
    assert len({w for ws in everything.values() for w in ws}) >= 5000
    arabic = re.compile(r"^[\u0621-\u064a\u06a4\u06a9\u06af\u067e\u06ad]+$")
    assert all(arabic.match(w) for ws in everything.values() for w in ws)
    assert all(k == k.lower() and " " not in k for k in everything)


def test_closed_syllable_detection() -> None:
    assert _closed_syllable("madrasa", 2)  # "a" of "ma" before "dr": closed, short
    assert not _closed_syllable("daba", 2)  # open syllable: long, written ا
    assert not _closed_syllable("chkhar", 5)  # word end does not count
    assert not _closed_syllable("mchat", 4)  # one consonant ("t")
    assert _closed_syllable("9ahwa", 2)
    assert not _closed_syllable("lghaba", 2 + 1)  # "gh" is one consonant: "gha|ba"


def test_interdentals_are_written_as_pronounced_first() -> None:
    from siyada.lang.arabizi import as_pronounced

    assert as_pronounced("kdeb", ["كذب"]) == ["كدب", "كذب"]
    assert as_pronounced("t3lab", ["ثعلب"]) == ["تعلب", "ثعلب"]
    assert as_pronounced("thawra", ["ثورة"]) == ["ثورة"]
    assert as_pronounced("dhab", ["ذهب"]) == ["ذهب"]
    assert as_pronounced("bzaf", ["بزاف"]) == ["بزاف"]


def test_times_and_ordinals_are_left_as_written() -> None:
    from siyada.lang.arabizi import arabizi_to_arabic

    best, _ = arabizi_to_arabic("ndkhol f 10h30 l tabaq 3eme")
    assert "10h30" in best and "3eme" in best
    assert arabizi_to_arabic("9d ma bghit")[0].startswith("قد")
