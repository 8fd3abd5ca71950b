"""The vectorised n-gram lookup must give exactly the features of ``features.word_features``."""

from __future__ import annotations

from collections import Counter

from siyada.lang.features import word_features
from siyada.lang.lid import _lid_model
from siyada.lang.ngramtable import NgramTable

WORDS = ["wach", "3afak", "a", "بزاف", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "ɣef", "zzzq", "qxjvk", "𝐛𝐨𝐥𝐝", "ça", "l'rendez"]


def _expected(index: dict[str, int], unseen: int, word: str) -> Counter[int]:
    grams = [f for f in word_features(word) if not f.startswith("W")]
    return Counter(index.get(f, unseen) for f in grams)


def test_lookup_matches_word_features() -> None:
    model = _lid_model()
    index, unseen = model._index, model._unseen_row
    table = NgramTable(index, unseen)
    rows, owners = table.lookup(WORDS)
    for j, word in enumerate(WORDS):
        got = Counter(int(r) for r, o in zip(rows, owners, strict=True) if o == j)
        assert got == _expected(index, unseen, word), word


def test_unknown_characters_are_unseen() -> None:
    table = NgramTable({" a": 0, "ab": 1, "b ": 2}, unseen_row=3)
    rows, owners = table.lookup(["ab", "aé"])
    # " ab " has 2-grams " a" "ab" "b " (known), 3-grams and the 4-gram unseen.
    assert sorted(rows[owners == 0].tolist()) == [0, 1, 2, 3, 3, 3]
    # é is not in the table's alphabet: every n-gram holding it is unseen.
    assert sorted(rows[owners == 1].tolist()) == [0, 3, 3, 3, 3, 3]


def test_ngrams_never_cross_words() -> None:
    table = NgramTable({"a  b": 0, "a ": 1}, unseen_row=2)
    rows, owners = table.lookup(["a", "b"])
    assert 0 not in rows.tolist()
    assert rows[owners == 0].tolist().count(1) == 1
