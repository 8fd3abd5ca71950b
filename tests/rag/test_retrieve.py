from siyada.rag.analyze import fts_query
from siyada.rag.retrieve import coverage, rrf


def test_rrf_rewards_agreement_between_rankers():
    fused = rrf([[(1, 9.0), (2, 8.0), (3, 7.0)], [(3, 0.9), (1, 0.8)]], k=60)
    assert [i for i, _ in fused] == [1, 3, 2]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_weights_scale_a_rankers_hits():
    fused = rrf([[(1, 9.0), (2, 8.0)], [(2, 0.9), (1, 0.8)]], [{1: 0.0, 2: 0.0}, None], k=10)
    assert [i for i, _ in fused] == [2, 1] and fused[0][1] == 1 / 11


class _Indexed:
    def __init__(self, texts):
        self.texts = texts

    def indexed(self, ids, column):
        return {i: self.texts[i] for i in ids}


def test_coverage_counts_words_and_skeletons_apart():
    store = _Indexed({1: "الدار 0dr بزاف 0bzf", 2: "ddar 0dr autre", 3: "rien"})
    weights = coverage(store, [(1, 1.0), (2, 1.0), (3, 1.0)], "keys", "ddar 0dr bzaf 0bzf")
    assert weights == {1: 1.0, 2: 0.25, 3: 0.0}


def test_fts_query_quotes_every_token_so_user_text_is_never_syntax():
    assert fts_query('a "b" a NEAR OR') == '"a" OR """b""" OR "NEAR" OR "OR"'
    assert fts_query("") == ""


def test_query_keys_keep_skeletons_for_darija_and_drop_them_for_european_queries():
    from siyada.rag.analyze import query_keys

    assert any(t.startswith("0") for t in query_keys("ddar dyali kbira bzaf").split())
    english = query_keys("The television station opened in Casablanca").split()
    assert "casablanca" in english and not any(t.startswith("0") for t in english)
