"""Orthographic normalisation."""

from __future__ import annotations

import pytest

from siyada.lang import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("إِنَّ الكِتَابَ", "ان الكتاب"),  # diacritics, alef with hamza below
        ("أحمد آمن", "احمد امن"),  # alef forms
        ("مـــرحبا", "مرحبا"),  # tatweel
        ("على", "علي"),  # alef maqsura
        ("کتاب ی", "كتاب ي"),  # Persian kaf and yeh
        ("٣٤ ۵", "34 5"),  # Eastern Arabic and Persian digits
        ("a\u200bb\u200fc\ufeff", "abc"),  # invisible characters
        ("bzzzaaf", "bzaf"),  # Arabizi lengthening
        ("هههههه", "ه"),
        ("café", "café"),  # NFC composed form kept
        ("cafe\u0301", "café"),  # NFD input composed
        ("mezzyan", "mezzyan"),  # a real double consonant is kept
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_options() -> None:
    assert normalize("مدرسة") == "مدرسة"
    assert normalize("مدرسة", taa_marbuta=True) == "مدرسه"
    assert normalize("على", alef_maqsura=False) == "على"
    assert normalize("أنا", alef=False) == "أنا"
    assert normalize("Salam", lower=True) == "salam"
    assert normalize("bzzzaaf", arabizi=False) == "bzzzaaf"


def test_idempotent() -> None:
    text = "إِنَّ bzzzaaf مـــرحبا ٣"
    once = normalize(text)
    assert normalize(once) == once
