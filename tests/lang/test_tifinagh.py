"""Tifinagh <-> Latin (IRCAM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from siyada.lang.tifinagh import latin_to_tifinagh, tifinagh_to_latin


def test_letters_and_labialisation() -> None:
    assert tifinagh_to_latin("ⵜⴰⵎⴰⵣⵉⵖⵜ") == "tamaziɣt"
    assert tifinagh_to_latin("ⴰⴳⵯⵎⴰⵔ") == "agʷmar"
    assert latin_to_tifinagh("agʷmar") == "ⴰⴳⵯⵎⴰⵔ"
    assert latin_to_tifinagh("Tamaziɣt") == "ⵜⴰⵎⴰⵣⵉⵖⵜ"


def test_round_trip_every_ircam_letter() -> None:
    ircam = "ⴰⴱⴳⴳⵯⴷⴹⴻⴼⴽⴽⵯⵀⵃⵄⵅⵇⵉⵊⵍⵎⵏⵓⵔⵕⵖⵙⵚⵛⵜⵟⵡⵢⵣⵥ"
    assert latin_to_tifinagh(tifinagh_to_latin(ircam)) == ircam


def test_other_characters_pass_through() -> None:
    assert tifinagh_to_latin("ⴰⵣⵓⵍ, 2024!") == "azul, 2024!"


@pytest.mark.shared
def test_all_derived_pairs_exact(shared_data: Path) -> None:
    lines = (shared_data / "lang" / "ircam_tifinagh" / "translit_pairs_derived.tsv").read_text().splitlines()
    failures = []
    for line in lines[1:]:
        tfng, latin, _source, direction = line.split("\t")
        got = tifinagh_to_latin(tfng) if direction == "tfng->latn" else latin_to_tifinagh(latin)
        want = latin if direction == "tfng->latn" else tfng
        if got != want:
            failures.append((tfng, latin))
    assert len(lines) > 100 and not failures
