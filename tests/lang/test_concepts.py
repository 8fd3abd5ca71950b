"""The concept matcher: one token for the same thing in French, MSA, Darija and Arabizi."""

from __future__ import annotations

import pytest

from siyada.errors import ConfigError
from siyada.lang.concepts import ConceptIndex, concept_index, concept_text, concept_token, parse_concept_tsv, render

ROWS = [
    ("residence_certificate", "fra", "certificat de résidence"),
    ("residence_certificate", "ary", "شهادة السكنى"),
    ("residence_certificate", "ary_Latn", "chahadat sokna"),
    ("card", "arb", "بطاقة"),
    ("card", "fra", "carte"),
    ("where", "ary_Latn", "fin"),
    ("end", "fra", "fin"),
]


@pytest.fixture
def idx() -> ConceptIndex:
    return ConceptIndex(ROWS)


def test_multi_word_forms_across_languages_and_linkers(idx: ConceptIndex) -> None:
    assert idx.match("Comment avoir un Certificat de Résidence ?", "fra_Latn") == ["residence_certificate"]
    assert idx.match("بغيت الشهادة ديال السكنى", "ary_Arab") == ["residence_certificate"]
    assert idx.match("kifach nakhod chahadat sokna?", "ary_Latn") == ["residence_certificate"]


def test_arabic_clitics_and_possessives_are_peeled(idx: ConceptIndex) -> None:
    assert idx.match("ضاعت بطاقتي", "arb_Arab") == ["card"]
    assert idx.match("وبالبطاقة", "arb_Arab") == ["card"]
    assert idx.match("les cartes", "fra_Latn") == ["card"]  # French plural


def test_the_texts_language_chooses_the_forms(idx: ConceptIndex) -> None:
    assert idx.match("c'est la fin", "fra_Latn") == ["end"]
    assert idx.match("fin kayn lbureau?", "ary_Latn") == ["where"]  # Arabizi first, French on the rest


def test_tokens_are_stable_alphanumeric_and_rendered(idx: ConceptIndex) -> None:
    token = concept_token("residence_certificate")
    assert token.startswith("1c") and token.isalnum() and token == concept_token("residence_certificate")
    assert render(["how_much"], "ary_Latn") in {"ch7al", ""}


def test_bundled_lexicon_loads_and_bridges_a_question_word() -> None:
    assert concept_index().concepts  # the shipped files parse
    assert concept_text("ch7al?", "ary_Latn") == concept_text("شحال؟", "ary_Arab") != ""


def test_malformed_file_names_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"x.tsv:1: header"):
        parse_concept_tsv("concept\tfra\n", "x.tsv")
    with pytest.raises(ConfigError, match=r"x.tsv:3: expected 6"):
        parse_concept_tsv("# c\nconcept\tfra\tarb\tary\tary_Latn\teng\nbad\tone\n", "x.tsv")
