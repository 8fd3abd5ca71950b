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
