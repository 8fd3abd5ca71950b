"""Code-switch segmentation."""

from __future__ import annotations

from siyada.lang import segment


def test_spans_cover_words_with_offsets() -> None:
    text = "كنبغي نمشي للسينما ce soir avec mes amis"
    spans = segment(text)
    assert [s.label for s in spans] == ["ary_Arab", "fra_Latn"]
    for s in spans:
        assert text[s.start : s.end] == s.text
    assert spans[0].text == "كنبغي نمشي للسينما"


def test_three_scripts() -> None:
    spans = segment("ⴰⵣⵓⵍ salam khoya, labas?")
    assert spans[0].label == "zgh_Tfng" and spans[-1].label == "ary_Latn"


def test_french_then_arabizi() -> None:
    spans = segment("Bonjour, je voudrais savoir wach kayn chi promo had simana")
    assert [s.label for s in spans] == ["fra_Latn", "ary_Latn"]


def test_nothing_to_segment() -> None:
    assert segment("") == []
    assert segment("😂 123 !!") == []


def test_one_arabizi_word_in_french_is_its_own_darija_span() -> None:
    spans = segment("N'importe quoi dye3t une heure de ma vie")
    assert [(s.text, s.label) for s in spans] == [
        ("N'importe quoi", "fra_Latn"),
        ("dye3t", "ary_Latn"),
        ("une heure de ma vie", "fra_Latn"),
    ]


def test_numbers_with_units_belong_to_no_language() -> None:
    spans = segment("the meeting is on the 3rd floor at 7pm")
    assert [s.label for s in spans] == ["eng_Latn"]
    assert spans[0].text == "the meeting is on the 3rd floor at"
