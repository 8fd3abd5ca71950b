"""The hand-written lexicon files: well-formed, loaded in order, one Arabic word per line."""

from __future__ import annotations

import re

import pytest

from siyada.lang import lexicon
from siyada.lang.lexicon import darija_lexicon, darija_word_files, read_tsv

ARABIC_WORD = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u067e\u06a4\u06ad\u06a9\u06af\u06cc]+$")
DIACRITICS = re.compile(r"[\u064b-\u0652\u0640]")


def test_domain_word_lists_are_found() -> None:
    files = darija_word_files()
    assert files, "data/darija_words/ holds the domain word lists"
    assert all(name.startswith("darija_words/") and name.endswith(".tsv") for name in files)


@pytest.mark.parametrize("name", ["darija_lexicon.tsv", "darija_verbs.tsv", *darija_word_files()])
def test_every_line_is_one_arabic_word_with_latin_spellings(name: str) -> None:
    rows = read_tsv(name, 2)
    assert len(rows) > 100
    for latin, arabic in rows:
        assert ARABIC_WORD.match(arabic), (name, arabic)
        assert not DIACRITICS.search(arabic), (name, arabic)
        spellings = [s for s in latin.split(",") if s]
        assert spellings and all(s == s.strip().lower() and " " not in s for s in spellings), (name, latin)


def test_domain_lists_extend_the_lexicon() -> None:
    base = lexicon._spelling_index("darija_lexicon.tsv")
    full = darija_lexicon()
    assert len(full) > len(base)
    # An earlier file keeps its reading of a spelling first: later files only add alternatives.
    for key, words in base.items():
        assert full[key][: len(words)] == words


def test_everyday_words_from_several_domains() -> None:
    index = darija_lexicon()
    assert "بزاف" in index["bzaf"]
    assert "واش" in index.get("wach", []) or "واش" in index.get("wash", [])


def test_verbs_can_be_left_out() -> None:
    assert len(darija_lexicon(verbs=False)) < len(darija_lexicon())


@pytest.mark.parametrize("name", ["darija_lexicon.tsv", *darija_word_files()])
def test_latin_g_is_written_gaf_like_the_decoder(name: str) -> None:
    """Moroccan /g/ is ڭ in our lexicons, as in the decoder's table: a word spelt with g (not gh)
    and no k, c or q has no ك (mixing the two made the lexicon disagree with the decoder)."""
    for latin, arabic in read_tsv(name, 2):
        spellings = latin.split(",")
        runs = {len(re.findall(r"g+(?!h)", s)) for s in spellings}
        if len(runs) == 1 and 0 not in runs and not any(re.search(r"[kcq]", s) for s in spellings):
            assert arabic.count("ك") != runs.pop(), (name, latin, arabic)
