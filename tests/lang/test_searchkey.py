"""Search keys: an Arabizi query meets Arabic-script text."""

from __future__ import annotations

import pytest

from siyada.lang import search_key


def skeletons(text: str) -> set[str]:
    return {t for t in search_key(text).split() if t.startswith("0")}


@pytest.mark.parametrize(
    ("arabizi", "arabic"),
    [
        ("bzaf", "بزاف"),
        ("bzzzaaf", "بزاف"),
        ("7mar", "حمار"),
        ("hmar", "حمار"),
        ("3afak", "عافاك"),
        ("ddar", "الدار"),
        ("zwina", "زوينة"),
        ("mezyan", "مزيان"),
        ("ghda", "غدا"),
        ("9alb", "قلب"),
        ("agadir", "أكادير"),
        ("agadir", "أڭادير"),
        ("gal", "قال"),
        ("wach kayn chi 7al", "واش كاين شي حال"),
    ],
)
def test_arabizi_and_arabic_share_skeletons(arabizi: str, arabic: str) -> None:
    assert skeletons(arabizi) == skeletons(arabic)
    assert skeletons(arabizi)


def test_plain_tokens_kept_for_latin_languages() -> None:
    key = search_key("Le Rendez-vous de DEMAIN à 10h")
    tokens = key.split()
    assert {"le", "rendez", "vous", "demain", "a", "10h"} <= set(tokens)


def test_tokens_are_alphanumeric() -> None:
    key = search_key("wach l'rendez-vous ghda? «مزيان» — ok!")
    assert key
    assert all(token.isalnum() for token in key.split())


def test_digits_have_no_skeleton_and_empty_text_is_empty() -> None:
    assert search_key("2024") == "2024"
    assert search_key("") == ""
    assert search_key("😂 !!") == ""
