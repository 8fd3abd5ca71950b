"""Script detection by share of letters."""

from __future__ import annotations

import pytest

from siyada.lang import detect_script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("wach kayn chi 7al?", "Latn"),
        ("3afak", "Latn"),
        ("واش كاين شي حال؟", "Arab"),
        ("ⵜⴰⵎⴰⵣⵉⵖⵜ", "Tfng"),
        ("Ɛelleq iceṭṭiḍen-ik dagi", "Latn"),
        ("کی", "Arab"),
        ("كنبغي Netflix bzaf", "mixed"),
        ("", "none"),
        ("   \t ", "none"),
        ("😂😂🔥", "none"),
        ("12345 ٣٤", "none"),
        ("https://example.com/path?q=1", "none"),
    ],
)
def test_dominant_script(text: str, script: str) -> None:
    assert detect_script(text).script == script


def test_proportions_sum_to_one_and_ignore_digits() -> None:
    info = detect_script("ab جد 77")
    assert info.letters == 4
    assert info.proportions["Latn"] == pytest.approx(0.5)
    assert info.proportions["Arab"] == pytest.approx(0.5)
    assert info.proportions["Tfng"] == 0.0


def test_one_megabyte_line() -> None:
    info = detect_script("bzaf " * 200_000)
    assert info.script == "Latn" and info.letters == 800_000
